// A page whose button asks for optional permissions from a user action (permissions.request
// must run in a user input handler): messages.send, or those listed in ?p=a,b. Groups separated
// by "|" are asked for one after the other, each request made in the same click (messages.send
// may only be asked for alone). The answers are written to #out.
const groups = (new URLSearchParams(location.search).get("p") ?? "messages.send").split("|").map((g) => g.split(","));
document.getElementById("request").addEventListener("click", async () => {
  const out = document.getElementById("out");
  const asked = groups.map((permissions) => messenger.permissions.request({ permissions }));
  const answers = [];
  for (const answer of asked) {
    try {
      answers.push({ granted: await answer });
    } catch (e) {
      answers.push({ error: String((e && e.message) || e) });
    }
  }
  out.textContent = JSON.stringify(answers.length === 1 ? answers[0] : answers);
});
