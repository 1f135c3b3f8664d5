/**
 * Every visible text of the widget. `{q}` is the query, `{n}` a count, `{s}` seconds.
 * Pages override any of them through the `strings` property.
 */
export interface SearchGateStrings {
  label: string;
  placeholder: string;
  close: string;
  recent: string;
  remove: string;
  noResults: string;
  oneResult: string;
  manyResults: string;
  searching: string;
  unavailable: string;
  rateLimited: string;
  network: string;
  failed: string;
  retry: string;
}

type Row = [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];

// Rows keep the bundle small: one array per language in the field order of SearchGateStrings.
const FIELDS = [
  'label',
  'placeholder',
  'close',
  'recent',
  'remove',
  'noResults',
  'oneResult',
  'manyResults',
  'searching',
  'unavailable',
  'rateLimited',
  'network',
  'failed',
  'retry',
] as const satisfies ReadonlyArray<keyof SearchGateStrings>;

const ROWS: Record<string, Row> = {
  en: [
    'Search',
    'Search…',
    'Close',
    'Recent searches',
    'Remove',
    'No results for “{q}”',
    '1 result',
    '{n} results',
    'Searching…',
    'Search is unavailable right now.',
    'Too many searches. Retrying in {s} s.',
    'Cannot reach search. Check your connection.',
    'Search failed.',
    'Try again',
  ],
  de: [
    'Suche',
    'Suchen…',
    'Schließen',
    'Letzte Suchen',
    'Entfernen',
    'Keine Ergebnisse für „{q}“',
    '1 Ergebnis',
    '{n} Ergebnisse',
    'Suche läuft…',
    'Die Suche ist gerade nicht verfügbar.',
    'Zu viele Suchen. Neuer Versuch in {s} s.',
    'Suche nicht erreichbar. Bitte Verbindung prüfen.',
    'Die Suche ist fehlgeschlagen.',
    'Erneut versuchen',
  ],
  fr: [
    'Rechercher',
    'Rechercher…',
    'Fermer',
    'Recherches récentes',
    'Supprimer',
    'Aucun résultat pour « {q} »',
    '1 résultat',
    '{n} résultats',
    'Recherche…',
    'La recherche est indisponible pour le moment.',
    'Trop de recherches. Nouvel essai dans {s} s.',
    'Recherche injoignable. Vérifiez votre connexion.',
    'La recherche a échoué.',
    'Réessayer',
  ],
  es: [
    'Buscar',
    'Buscar…',
    'Cerrar',
    'Búsquedas recientes',
    'Quitar',
    'No hay resultados para «{q}»',
    '1 resultado',
    '{n} resultados',
    'Buscando…',
    'La búsqueda no está disponible ahora.',
    'Demasiadas búsquedas. Reintento en {s} s.',
    'No se puede conectar. Compruebe su conexión.',
    'La búsqueda ha fallado.',
    'Reintentar',
  ],
  ja: [
    '検索',
    'サイト内を検索…',
    '閉じる',
    '最近の検索',
    '削除',
    '「{q}」に一致する結果はありません',
    '1 件の結果',
    '{n} 件の結果',
    '検索中…',
    '現在、検索を利用できません。',
    '検索が多すぎます。{s} 秒後に再試行します。',
    '検索に接続できません。接続を確認してください。',
    '検索に失敗しました。',
    '再試行',
  ],
  ar: [
    'بحث',
    'ابحث…',
    'إغلاق',
    'عمليات البحث الأخيرة',
    'إزالة',
    'لا توجد نتائج لـ «{q}»',
    'نتيجة واحدة',
    '{n} نتائج',
    'جارٍ البحث…',
    'البحث غير متاح حاليًا.',
    'عمليات بحث كثيرة. إعادة المحاولة خلال {s} ث.',
    'تعذّر الوصول إلى البحث. تحقّق من اتصالك.',
    'فشل البحث.',
    'إعادة المحاولة',
  ],
};

/** Built-in strings for `lang` ("de-AT" uses "de"), English when the language is not built in. */
export const stringsFor = (
  lang: string,
  overrides: Partial<SearchGateStrings> = {},
): SearchGateStrings => {
  const row = ROWS[lang.toLowerCase().split('-')[0] ?? ''] ?? ROWS.en;
  const strings = Object.fromEntries(
    FIELDS.map((field, i) => [field, row?.[i] ?? '']),
  ) as unknown as SearchGateStrings;
  return { ...strings, ...overrides };
};

export const isRightToLeft = (lang: string): boolean => /^(ar|he|fa|ur)\b/i.test(lang);

/** Fills `{q}`, `{n}`, `{s}` placeholders. */
export const format = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{(\w)\}/g, (whole, name: string) => String(values[name] ?? whole));
