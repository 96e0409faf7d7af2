# AppArmor profile for the installed deb (electron-builder fills in the names). Ubuntu 24.04+
# forbids unprivileged user namespaces to unconfined programs, and Chromium's sandbox needs
# them: without this profile the app aborts at start (electron/electron#42510). The profile
# grants exactly that ("userns") and nothing else changes (unconfined otherwise).
abi <abi/4.0>,
include <tunables/global>

profile "${executable}" "/opt/${sanitizedProductName}/${executable}" flags=(unconfined) {
  userns,

  # Site-specific additions and overrides. See local/README for details.
  include if exists <local/${executable}>
}
