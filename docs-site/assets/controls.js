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

// The host's own words in an example (a heading) are the host's to translate: an element carries
// them as `data-l10n-<attribute>-<lang>`, and the attribute itself holds the English.
function hostWords(demo, lang) {
  for (const el of demo.querySelectorAll('*')) {
    for (const name of el.getAttributeNames()) {
      const match = /^data-l10n-(.+)-([a-z]{2})$/.exec(name);
      if (!match || match[2] === 'en') continue;
      const english = `data-l10n-${match[1]}-en`;
      if (!el.hasAttribute(english)) el.setAttribute(english, el.getAttribute(match[1]) ?? '');
      el.setAttribute(match[1], el.getAttribute(`data-l10n-${match[1]}-${lang}`) ?? el.getAttribute(english));
    }
  }
}

const language = document.querySelector('#demo-lang');
if (language) {
  language.addEventListener('change', async () => {
    const lang = language.value;
    if (lang !== 'en') await import(`patkit/locales/${lang}`);
    for (const demo of document.querySelectorAll('.demo')) {
      demo.setAttribute('lang', lang);
      hostWords(demo, lang);
    }
  });
}
