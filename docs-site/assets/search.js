// The sidebar's search box: page titles and headings from search.json (scripts/build-docs.ts),
// matched as the reader types. Results are built with textContent only.
const input = document.querySelector('#site-search');
const results = document.querySelector('#site-search-results');
let index = null;

async function load() {
  if (index) return index;
  const answer = await fetch(new URL('../search.json', import.meta.url));
  index = answer.ok ? await answer.json() : [];
  return index;
}

function item(text, href, detail) {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  if (detail) {
    const small = document.createElement('small');
    small.textContent = detail;
    a.append(' ', small);
  }
  li.append(a);
  return li;
}

async function search() {
  const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
  results.replaceChildren();
  if (words.length === 0) {
    results.hidden = true;
    return;
  }
  const found = [];
  for (const page of await load()) {
    const matches = (text) => words.every((w) => text.toLowerCase().includes(w));
    if (matches(page.title)) found.push(item(page.title, page.url));
    for (const h of page.headings) if (matches(h.text)) found.push(item(h.text, `${page.url}#${h.id}`, page.title));
  }
  results.append(...found.slice(0, 12));
  if (found.length === 0) results.append(Object.assign(document.createElement('li'), { textContent: 'No match' }));
  results.hidden = false;
}

if (input && results) {
  input.addEventListener('input', () => void search());
  input.closest('form')?.addEventListener('submit', (event) => {
    event.preventDefault();
    results.querySelector('a')?.click();
  });
}
