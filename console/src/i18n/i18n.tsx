import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { DICTIONARIES, type Locale, type MessageKey } from './dictionary';

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** A date-time in the user's time zone and language; '—' for none. */
  dateTime(iso: string | null | undefined): string;
  number(value: number): string;
  timeZone: string;
}

const LOCALE_KEY = 'csp-console.locale';

export const initialLocale = (): Locale => {
  const saved = sessionStorage.getItem(LOCALE_KEY) ?? localStorage.getItem(LOCALE_KEY);
  if (saved === 'en' || saved === 'fr') {
    return saved;
  }
  return navigator.language.toLowerCase().startsWith('fr') ? 'fr' : 'en';
};

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider(props: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const value = useMemo<I18n>(() => {
    const dictionary = DICTIONARIES[locale];
    const tag = locale === 'fr' ? 'fr-FR' : 'en-GB';
    const dates = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
    const numbers = new Intl.NumberFormat(tag);
    document.documentElement.lang = locale;
    return {
      locale,
      setLocale(next) {
        sessionStorage.setItem(LOCALE_KEY, next);
        if (localStorage.getItem(LOCALE_KEY) !== null) {
          localStorage.setItem(LOCALE_KEY, next);
        }
        setLocaleState(next);
      },
      t(key, params) {
        const text = dictionary[key];
        return params
          ? text.replace(/\{(\w+)\}/g, (whole, name: string) =>
              name in params ? String(params[name]) : whole,
            )
          : text;
      },
      dateTime: (iso) => (iso ? dates.format(new Date(iso)) : '—'),
      number: (n) => numbers.format(n),
      timeZone: dates.resolvedOptions().timeZone,
    };
  }, [locale]);
  return <I18nContext.Provider value={value}>{props.children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) {
    throw new Error('useI18n outside I18nProvider');
  }
  return value;
}

/** Persists the language beyond the tab only along with a remembered sign-in. */
export const rememberLocale = (locale: Locale, remember: boolean): void => {
  if (remember) {
    localStorage.setItem(LOCALE_KEY, locale);
  } else {
    localStorage.removeItem(LOCALE_KEY);
  }
};
