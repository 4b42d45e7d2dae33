/**
 * The one line `ssgan` prints for a usage error. yargs words a bad `choices` value as
 * "Invalid values:\n  Argument: x, Given: "v", Choices: "a", "b""; it is rewritten into the
 * project's own form (`--x: expected one of a, b, got "v"`), so every bad flag reads alike.
 */
export function failMessage(text: string): string {
  const choice = /Argument: ([\w-]+), Given: (.*?), Choices: (.*)$/;
  const lines = text.split('\n').map((l) => l.trim());
  if (lines[0] === 'Invalid values:') {
    const parsed = lines.slice(1).map((l) => l.match(choice));
    if (parsed.length && parsed.every(Boolean))
      return parsed
        .map((m) => {
          const choices = m![3].split(', ').map((c) => c.replace(/^"(.*)"$/, '$1'));
          return `--${m![1]}: expected one of ${choices.join(', ')}, got ${m![2]}`;
        })
        .join('; ');
  }
  return text.replace(/\s*\n\s*/g, '; ');
}
