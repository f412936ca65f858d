/** PIX logging level names for syslog severities 0..7 (RFC 5424 §6.2.1). */
export const LEVEL_NAMES = [
  'emergencies',
  'alerts',
  'critical',
  'errors',
  'warnings',
  'notifications',
  'informational',
  'debugging',
] as const;

/** Severity from a name or a digit 0..7; undefined otherwise. */
export function parseLevel(s: string): number | undefined {
  if (/^[0-7]$/.test(s)) return Number(s);
  const i = (LEVEL_NAMES as readonly string[]).indexOf(s.toLowerCase());
  return i < 0 ? undefined : i;
}

export function levelName(level: number): string {
  return LEVEL_NAMES[level] ?? String(level);
}
