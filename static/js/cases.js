// cases app: disable the submit button while a (large) import file is checked or written.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-busy]")) return;
  form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; b.textContent = form.dataset.busy; });
});
