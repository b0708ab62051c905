// "Print letter" on the invitation page (no inline script: the CSP allows none).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
