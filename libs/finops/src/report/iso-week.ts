/** An ISO 8601 week (`2026-W49`): Monday to Sunday, UTC. */
export interface IsoWeek {
  week: string;
  /** Monday, `YYYY-MM-DD`. */
  from: string;
  /** Sunday, `YYYY-MM-DD`, included. */
  to: string;
}

const day = (d: Date): string => d.toISOString().slice(0, 10);

/** `2026-W49` as its Monday and Sunday; undefined when it is not an ISO week. */
export function parseIsoWeek(text: string): IsoWeek | undefined {
  const match = /^(\d{4})-W(\d{2})$/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const week = Number(match[2]);
  // The week with January 4th is week 1.
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = new Date(
    jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (week - 1) * 7 * 86_400_000,
  );
  if (week < 1 || isoWeekOf(monday).week !== text) return undefined;
  return { week: text, from: day(monday), to: day(new Date(monday.getTime() + 6 * 86_400_000)) };
}

/** The ISO week a moment falls in (UTC). */
export function isoWeekOf(date: Date): IsoWeek {
  const utc = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = (utc.getUTCDay() + 6) % 7; // Monday 0
  const monday = new Date(utc.getTime() - weekday * 86_400_000);
  const thursday = new Date(monday.getTime() + 3 * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = 1 + Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000));
  return {
    week: `${year}-W${String(week).padStart(2, '0')}`,
    from: day(monday),
    to: day(new Date(monday.getTime() + 6 * 86_400_000)),
  };
}

/** The week before. */
export function previousWeek(week: IsoWeek): IsoWeek {
  return isoWeekOf(new Date(Date.parse(`${week.from}T00:00:00Z`) - 86_400_000));
}
