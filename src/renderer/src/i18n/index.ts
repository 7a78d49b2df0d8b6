import i18next from 'i18next'
import { initReactI18next } from 'react-i18next'
import fr from './fr.json'
import en from './en.json'

export const LANGUAGES = ['fr', 'en'] as const
export type Language = (typeof LANGUAGES)[number]

/** French first; English second. The choice is kept in localStorage (no secret there). */
export function initI18n(): void {
  const saved = globalThis.localStorage?.getItem('paraphe.lang')
  const lng: Language = saved === 'en' ? 'en' : 'fr'
  void i18next.use(initReactI18next).init({
    resources: { fr: { translation: fr }, en: { translation: en } },
    lng,
    fallbackLng: 'fr',
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  })
  document.documentElement.lang = lng
}

export function setLanguage(lng: Language): void {
  void i18next.changeLanguage(lng)
  globalThis.localStorage?.setItem('paraphe.lang', lng)
  document.documentElement.lang = lng
}
