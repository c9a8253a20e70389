// The site's switches. Theme (sidebar, every page): system, light or dark, remembered; the page's
// color-scheme, which the kit's components follow too. Language (component pages): loads the
// package's locale entry through the import map and sets `lang` on every live example, which is
// how a host app switches the kit's language.
const THEME_KEY = 'patkit-docs-theme';

function applyTheme(value) {
  if (value === 'light' || value === 'dark') document.documentElement.dataset.theme = value;
  else delete document.documentElement.dataset.theme;
}

const theme = document.querySelector('#site-theme');
let saved = '';
try {
  saved = localStorage.getItem(THEME_KEY) ?? '';
} catch {
  // storage refused (private mode): the switch still works for this page
}
applyTheme(saved);
if (theme) {
  theme.value = saved;
  theme.addEventListener('change', () => {
    applyTheme(theme.value);
    try {
      localStorage.setItem(THEME_KEY, theme.value);
    } catch {
      // not remembered, still applied
    }
  });
}

const language = document.querySelector('#demo-lang');
if (language) {
  language.addEventListener('change', async () => {
    const lang = language.value;
    if (lang !== 'en') await import(`patkit/locales/${lang}`);
    for (const demo of document.querySelectorAll('.demo')) demo.setAttribute('lang', lang);
  });
}
