// CcGuard options: building elements. Text only ever goes in as text nodes (children), never
// as markup, so a name or an address cannot become HTML.

/** `<tag attributes…>children…</tag>`; an attribute `true` is present, `false`/null/undefined absent. */
export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) node.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, String(value));
  }
  node.append(...children);
  return node;
}
