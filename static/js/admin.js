// The beheer pages: phone layout for wide tables, and names for controls Django leaves unnamed.
(function () {
  const phone = window.matchMedia("(max-width: 767.98px)");
  function stackTables() {
    document.querySelectorAll("#content-start table").forEach((table) => {
      const heads = [];
      table.querySelectorAll(":scope > thead > tr:last-child > th").forEach((th) => {
        for (let i = 0; i < (th.colSpan || 1); i += 1) heads.push(th.textContent.trim().replace(/\s+/g, " "));
      });
      if (!heads.length) return;
      table.querySelectorAll(":scope > tbody > tr").forEach((tr) => {
        let col = 0;
        [...tr.children].forEach((cell) => {
          if (!cell.hasAttribute("data-label") && (cell.colSpan || 1) === 1) cell.dataset.label = heads[col] || "";
          col += cell.colSpan || 1;
        });
      });
      const box = table.closest(".results, .module, fieldset") || table.parentElement;
      if (phone.matches && table.scrollWidth > box.clientWidth + 1) table.classList.add("table-stack");
    });
  }
  // Django's SelectFilter puts aria-label on a plain <span> (prohibited by ARIA): make it an
  // image with that name, which is what the magnifier icon is.
  function nameIcons() {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach((span) => span.setAttribute("role", "img"));
  }
  document.addEventListener("DOMContentLoaded", stackTables);
  window.addEventListener("load", () => window.setTimeout(nameIcons, 0));
  document.addEventListener("formset:added", () => window.setTimeout(nameIcons, 0));
})();
