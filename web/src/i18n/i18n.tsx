import { createContext, useContext, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { messages } from './messages.ts';
import type { Lang, MessageKey } from './messages.ts';

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  /** A message; unknown keys (an enum value without a label) show as the key's last part. */
  t: (key: MessageKey | string) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>('zh');
  const value = useMemo<I18n>(() => {
    const table: Record<string, string> = messages[lang];
    return { lang, setLang, t: (key) => table[key] ?? key.slice(key.lastIndexOf('.') + 1) };
  }, [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
