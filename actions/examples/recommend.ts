/**
 * examples.recommend — a recommendation that reads `user.attributes` (Kamihi's "periodic recommendations").
 *
 * Looks at each user's `favouriteGenre` and `locale` attributes (set on the user in the admin app) and picks a
 * title from a small built-in catalogue. A user without those attributes, or with values it does not know,
 * still gets a recommendation: the fallback genre and English, with a warning in the run's log so the admin
 * can fill the attribute in. With per user off it recommends for every user in `users`.
 */
import { defineAction, z, type ActionLogger, type ActionUser } from '@sundial/actions';

const GENRES = ['fantasy', 'mystery', 'science-fiction', 'classics'] as const;
type Genre = (typeof GENRES)[number];
type Language = 'en' | 'es' | 'de';

// Deterministic on purpose: the same user and day always get the same title, so tests and reruns agree.
const CATALOGUE: Record<Genre, Record<Language, readonly string[]>> = {
  fantasy: {
    en: ['A Wizard of Earthsea', 'The Hobbit', 'Piranesi'],
    es: ['La historia interminable', 'El nombre del viento'],
    de: ['Die unendliche Geschichte', 'Krabat'],
  },
  mystery: {
    en: ['The Moonstone', 'The Hound of the Baskervilles'],
    es: ['La sombra del viento', 'El caso Savolta'],
    de: ['Der Richter und sein Henker', 'Das Versprechen'],
  },
  'science-fiction': {
    en: ['The Left Hand of Darkness', 'Solaris', 'Foundation'],
    es: ['La invención de Morel', 'El Eternauta'],
    de: ['Der Schwarm', 'Die Haarteppichknüpfer'],
  },
  classics: {
    en: ['Middlemarch', 'Moby-Dick'],
    es: ['Don Quijote de la Mancha', 'La Regenta'],
    de: ['Effi Briest', 'Der Zauberberg'],
  },
};

const args = z.object({
  fallbackGenre: z.enum(GENRES).default('classics').describe('Genre for users without a known favouriteGenre'),
});

interface Recommendation {
  userId: string;
  title: string;
  genre: Genre;
  language: Language;
  /** True when an attribute was missing or unknown and a fallback was used. */
  fallback: boolean;
}

function stringAttribute(user: ActionUser, key: string, log: ActionLogger): string | null {
  const value = user.attributes[key];
  if (value === undefined || value === null || value === '') {
    log.warn(`${user.name} has no ${key} attribute; using the fallback`, { userId: user.id, attribute: key });
    return null;
  }
  if (typeof value !== 'string') {
    log.warn(`${user.name}'s ${key} attribute is not text; using the fallback`, { userId: user.id, attribute: key, value });
    return null;
  }
  return value;
}

function genreOf(user: ActionUser, fallback: Genre, log: ActionLogger): [Genre, boolean] {
  const value = stringAttribute(user, 'favouriteGenre', log);
  if (value === null) return [fallback, true];
  const genre = value.trim().toLowerCase().replace(/\s+/g, '-');
  if ((GENRES as readonly string[]).includes(genre)) return [genre as Genre, false];
  log.warn(`${user.name}'s favouriteGenre "${value}" is not one of ${GENRES.join(', ')}; using ${fallback}`, {
    userId: user.id,
  });
  return [fallback, true];
}

function languageOf(user: ActionUser, log: ActionLogger): [Language, boolean] {
  const value = stringAttribute(user, 'locale', log);
  if (value === null) return ['en', true];
  // "es-ES", "de_AT", "EN" → the language part.
  const language = value.trim().toLowerCase().split(/[-_]/)[0];
  if (language === 'en' || language === 'es' || language === 'de') return [language, false];
  log.warn(`${user.name}'s locale "${value}" has no catalogue; using English`, { userId: user.id });
  return ['en', true];
}

/** A stable pick: the same user gets the same title on the same day, another title on another day. */
function pick(titles: readonly string[], userId: string, day: string): string {
  let hash = 0;
  for (const char of `${userId}|${day}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return titles[hash % titles.length] as string;
}

export default defineAction({
  name: 'examples.recommend',
  description: "Recommends a book to each user from their favouriteGenre and locale attributes, with a fallback.",
  args,
  defaults: { timeoutMs: 30_000, concurrency: 20 },
  run({ args, user, users, log, since }) {
    const recipients = user ? [user] : users;
    if (recipients.length === 0) log.warn('no users to recommend to: target users or roles in the job');
    const day = new Date().toISOString().slice(0, 10);
    const recommendations = recipients.map((recipient): Recommendation => {
      const [genre, genreFallback] = genreOf(recipient, args.fallbackGenre, log);
      const [language, languageFallback] = languageOf(recipient, log);
      const title = pick(CATALOGUE[genre][language], recipient.id, day);
      log.info(`recommend "${title}" to ${recipient.name}`, { userId: recipient.id, genre, language });
      return { userId: recipient.id, title, genre, language, fallback: genreFallback || languageFallback };
    });
    if (since) log.debug(`previous successful recommendation run started at ${since.toISOString()}`);
    return { recommendations };
  },
});
