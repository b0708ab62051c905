"""Walk the main pages of a role in a real browser and measure their layout.

Shared by the layout/axe tests and ``tests/browser/screenshots.py`` (which photographs the
demo programme). "Main pages" are the start page, every link of the main navigation and,
from each list, the first row's detail page: what a user of that role reaches in two clicks.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

SIZES = {"phone": (390, 844), "wide": (1366, 900)}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Returns the layout faults of the page: sideways scrolling and table cells whose content is
# cut off (by the viewport, by an overflow container, or by the cell itself).
LAYOUT_JS = """
() => {
  const faults = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    faults.push(`page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px window`);
  }
  const clippers = (el) => {
    const out = [];
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== "visible") out.push(a);
    }
    return out;
  };
  const name = (cell) => (cell.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
  for (const cell of document.querySelectorAll("main td, main th")) {
    const r = cell.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // visually hidden for screen readers (e.g. a table head clipped to 1 px): not on screen
    const hidden = clippers(cell).some((a) => {
      const b = a.getBoundingClientRect();
      return b.width <= 1 || b.height <= 1;
    });
    if (hidden) continue;
    if (cell.scrollWidth > cell.clientWidth + 1 && getComputedStyle(cell).overflowX !== "visible") {
      faults.push(`cell "${name(cell)}" cuts its own content`);
      continue;
    }
    if (r.right > window.innerWidth + 1) {
      faults.push(`cell "${name(cell)}" ends at ${Math.round(r.right)}px, off screen`);
      continue;
    }
    for (const box of clippers(cell)) {
      const b = box.getBoundingClientRect();
      if (b.width <= 1 || b.height <= 1) break;  // visually hidden for screen readers
      if (r.right > b.right + 1 || r.left < b.left - 1) {
        faults.push(`cell "${name(cell)}" is cut off by its scrolling container`);
        break;
      }
    }
  }
  return faults;
}
"""

LINKS_JS = """
() => {
  const nav = [...document.querySelectorAll('nav[aria-label] a[href]')]
    .map((a) => a.href).filter((h) => !h.endsWith('#'));
  const rows = [...document.querySelectorAll('main table tbody a[href]')].map((a) => a.href);
  return {nav, first_row: rows[0] || null};
}
"""

SKIP = ("_popup", "/logout", "/download", "/export", "/sjabloon", ".csv", ".pdf", "/taal/")


def same_site(url: str, base: str) -> bool:
    return urlsplit(url).netloc == urlsplit(base).netloc


def visit_main_pages(page, base: str, extra: tuple[str, ...] = (), limit: int = 40):
    """Open the start page, the navigation's pages, each list's first detail page and ``extra``
    paths, in that order; yields each URL while the browser shows it."""
    page.goto(base + "/")
    yield base + "/"
    found = page.evaluate(LINKS_JS)
    pages = [base + "/"]
    for href in found["nav"]:
        if same_site(href, base) and not any(s in href for s in SKIP) and href not in pages:
            pages.append(href)
    queue = pages[1:] + [base + path for path in extra]
    lists, seen = set(queue), set(pages[:1])
    while queue and len(seen) < limit:
        href = queue.pop(0)
        if href in seen:
            continue
        seen.add(href)
        page.goto(href)
        yield href
        first = page.evaluate(LINKS_JS)["first_row"]
        wanted = first and href in lists and first not in seen and first not in queue
        if wanted and same_site(first, base) and not any(s in first for s in SKIP):
            queue.append(first)


def slug(url: str) -> str:
    path = urlsplit(url).path.strip("/") or "start"
    return path.replace("/", "_")
