// A page whose button asks for the optional-only permission messages.send from a user action
// (permissions.request must run in a user input handler). The answer is written to #out.
document.getElementById("request").addEventListener("click", async () => {
  const out = document.getElementById("out");
  try {
    out.textContent = JSON.stringify({ granted: await messenger.permissions.request({ permissions: ["messages.send"] }) });
  } catch (e) {
    out.textContent = JSON.stringify({ error: String((e && e.message) || e) });
  }
});
