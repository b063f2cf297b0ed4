// The header's Log out button on every page: the form posts to /Account/Logout without
// script; with it, the JSON API ends the session and the browser goes to the catalog.
import { csrfToken, handleSubmits, postJson, working } from "./forms.js";

async function logout(form) {
  await working(form, async (ui) => {
    ui.busy("Logging out…");
    const token = await csrfToken();
    await postJson("/api/auth/logout", undefined, token);
    location.assign("/");
  });
}

export function initLogout(root = document) {
  handleSubmits(root, [["[data-logout]", logout]]);
}
