// CcGuard: the page that asks for the permissions of Send separately (opened by support.js in a
// tab of the main window, where Thunderbird's prompt reliably shows). The button's click asks
// twice, both requests made in the click itself (permissions.request must run in a user input
// handler, and Thunderbird grants "messages.send" only alone); Thunderbird shows the prompts one
// after the other. The answer goes to the background, which tells the warning window.

import { api, localize, msg } from "../util.js";
import { RECORD_PERMISSIONS, SEND_PERMISSIONS } from "./support.js";

const id = new URLSearchParams(location.search).get("id") ?? "";
const button = document.getElementById("allow");
const answer = document.getElementById("answer");

async function granted(request) {
  try {
    return (await request) === true;
  } catch (error) {
    console.error("CcGuard: the permission request failed:", error);
    return false;
  }
}

button.addEventListener("click", async () => {
  if (document.body.dataset.state !== "ready") return;
  const send = api().permissions.request({ permissions: [...SEND_PERMISSIONS] });
  const record = api().permissions.request({ permissions: [...RECORD_PERMISSIONS] });
  document.body.dataset.state = "asking";
  button.disabled = true;
  const sendGranted = await granted(send);
  const recordGranted = await granted(record);
  const ok = sendGranted && recordGranted;
  document.body.dataset.state = ok ? "granted" : "refused";
  answer.textContent = ok ? msg("allowGranted") : msg("allowRefused");
  try {
    await api().runtime.sendMessage({ type: "ccguard:allowed", id, granted: ok });
  } catch (error) {
    // The warning window asks again when its user clicks again.
  }
});

localize(document, "allowTitle");
