// Small progressive enhancements; the site works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
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
