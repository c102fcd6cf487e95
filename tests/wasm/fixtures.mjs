// Realistic recipient lists, the way Thunderbird hands them to onBeforeSend: one pill a string.
const DOMAINS = ["gmail.com", "yahoo.com", "hotmail.co.uk", "outlook.com", "icloud.com", "gmx.de", "orange.fr", "web.de"];
const FIRST = ["Anna", "Ben", "Chloé", "Dmitri", "Eve", "François", "Grace", "Hiro", "Ines", "Jürgen"];
const LAST = ["Smith", "Müller", "O'Brien", "García", "Dupont", "Tanaka", "Kowalski", "Rossi"];

export function customers(n) {
  return Array.from({ length: n }, (_, i) => {
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 7) % LAST.length];
    const domain = DOMAINS[(i * 3) % DOMAINS.length];
    const local = `${first}.${last}${i}`.toLowerCase().normalize("NFD").replace(/[^a-z0-9.]/g, "");
    return `${first} ${last} <${local}@${domain}>`;
  });
}
