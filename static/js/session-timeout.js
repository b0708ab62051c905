// Session warning (wel/middleware.py ends an idle session): shortly before the end, offer to
// stay logged in. Loaded from our own static files; the settings come from data attributes,
// so the Content Security Policy needs no inline script.
(() => {
  const config = document.getElementById("wel-session");
  if (!config) return;
  const warning = document.getElementById("wel-session-warning");
  const stay = document.getElementById("wel-session-stay");
  const warnSeconds = Number(config.dataset.warnSeconds);
  let timer = null;

  // Open the page again: the server logs an ended session out and shows the login page.
  const reopen = () => window.location.assign(window.location.href);

  const schedule = (secondsLeft) => {
    clearTimeout(timer);
    if (secondsLeft <= 0) {
      reopen();
    } else if (secondsLeft > warnSeconds) {
      warning.hidden = true;
      // Ask again just before warning: another tab may have kept the session alive.
      timer = setTimeout(check, (secondsLeft - warnSeconds) * 1000);
    } else {
      if (warning.hidden) {
        warning.hidden = false;
        stay.focus();
      }
      timer = setTimeout(check, secondsLeft * 1000 + 1000);
    }
  };

  const handle = (response) => {
    if (!response.ok || response.redirected) {
      reopen();
      return null;
    }
    return response.json();
  };
  const request = (url, options) =>
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, ...options })
      .then(handle)
      .then((data) => data && schedule(data.seconds_left))
      .catch(() => {});
  const check = () => request(config.dataset.statusUrl, {});

  stay.addEventListener("click", () =>
    request(config.dataset.keepaliveUrl, {
      method: "POST",
      headers: { Accept: "application/json", "X-CSRFToken": config.dataset.csrf },
    }),
  );
  schedule(Number(config.dataset.secondsLeft));
})();
