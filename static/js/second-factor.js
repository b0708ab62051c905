// After a passkey is registered (django-otp-webauthn's event), go on to the recovery codes.
document.addEventListener("otp_webauthn.register_complete", () => {
  const next = document.getElementById("wel-after-passkey");
  if (next) window.location.assign(next.dataset.url);
});
