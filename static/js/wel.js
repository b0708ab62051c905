// Small progressive enhancements; the site works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // "Print" buttons (the family letter, the agenda): no inline script, the CSP allows none.
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
  // Phones: a table wider than the screen becomes one card per row (wel.css); each cell gets its
  // column header as label. Row headers and cells spanning columns keep the header's text too.
  const phone = window.matchMedia("(max-width: 767.98px)");
  document.querySelectorAll("main table").forEach((table) => {
    const heads = [];
    table.querySelectorAll(":scope > thead > tr:last-child > th").forEach((th) => {
      for (let i = 0; i < (th.colSpan || 1); i += 1) heads.push(th.textContent.trim().replace(/\s+/g, " "));
    });
    if (!heads.length) return;
    table.querySelectorAll(":scope > tbody > tr, :scope > tfoot > tr").forEach((tr) => {
      let col = 0;
      [...tr.children].forEach((cell) => {
        if (!cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1) cell.dataset.label = heads[col] || "";
        col += cell.colSpan || 1;
      });
    });
    const container = table.parentElement;
    if (phone.matches && table.scrollWidth > container.clientWidth + 1) table.classList.add("table-stack");
  });
  // Dates (dd-mm-jjjj) and references (EMM-2026-0007) never break over lines.
  const pattern = /\b(\d{2}-\d{2}-\d{4}|[A-Z]{2,6}-\d{4}-\d{3,6})\b/g;
  const probe = new RegExp(pattern.source);
  const walker = document.createTreeWalker(document.querySelector("main") || document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (/SCRIPT|STYLE|TEXTAREA|OPTION/.test(node.parentElement?.tagName || "") || node.parentElement?.closest(".nowrap")
      ? NodeFilter.FILTER_REJECT : (probe.test(node.nodeValue) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP)),
  });
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node);
  texts.forEach((node) => {
    const fragment = document.createDocumentFragment();
    let last = 0;
    node.nodeValue.replace(pattern, (match, _group, offset) => {
      fragment.append(node.nodeValue.slice(last, offset));
      const span = document.createElement("span");
      span.className = "nowrap";
      span.textContent = match;
      fragment.append(span);
      last = offset + match.length;
      return match;
    });
    fragment.append(node.nodeValue.slice(last));
    node.replaceWith(fragment);
  });
  // Interview questions follow the respondent: swap the labels when the kind changes. The
  // form has a prefix ("interview-respondent_kind"), so match on the name's end.
  const kind = document.querySelector("select[name$=respondent_kind]");
  if (kind) {
    kind.addEventListener("change", () => {
      const key = "question" + kind.value.split("_").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
      document.querySelectorAll("[data-question-parent]").forEach((field) => {
        const label = document.querySelector(`label[for="${field.id}"]`);
        const text = field.dataset[key] || field.dataset.questionParent;
        if (label) label.firstChild.nodeValue = text;
      });
    });
  }
  // Forms put the focus on their first field (pages whose main content is a form).
  const mainForm = document.querySelector("main form[method=post]:not([data-no-autofocus])");
  if (mainForm && !mainForm.closest("section, details, table, .card") && !document.querySelector("main .is-invalid")) {
    const fields = [...mainForm.querySelectorAll("input:not([type=hidden]), select, textarea")].filter((el) => !el.disabled && el.offsetParent !== null);
    if (fields.length >= 2 && !location.hash) fields[0].focus();
  } else if (mainForm) {
    mainForm.querySelector(".is-invalid")?.focus();  // back with errors: the first wrong field
  }
  // Filters: closed on phones so the results come first; the summary says how many are active.
  document.querySelectorAll("details.filter-panel").forEach((panel) => {
    if (phone.matches) panel.open = false;
  });
  // A table wider than the screen scrolls sideways: keyboard users must be able to reach it
  // (WCAG 2.1.1), so such a wrapper becomes a focusable, labelled region.
  document.querySelectorAll(".table-responsive").forEach((wrapper) => {
    if (wrapper.scrollWidth > wrapper.clientWidth && !wrapper.hasAttribute("tabindex")) {
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      const caption = wrapper.querySelector("caption");
      const heading = wrapper.closest("section, .card")?.querySelector("h2, h3");
      const label = (caption || heading)?.textContent.trim();
      if (label) wrapper.setAttribute("aria-label", label);
    }
  });
});
