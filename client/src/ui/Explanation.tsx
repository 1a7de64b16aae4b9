import type { RowExplanationDto } from '@exam/shared';
import { useTranslation } from 'react-i18next';

/** Why a ranking row has its place (issue 13): the lines in the interface language. */
export function Explanation({ explanation, testId }: { explanation: RowExplanationDto; testId?: string }) {
  const { i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  if (explanation.lines.length === 0) return null;
  return (
    <ul className="compact-list explanation" data-testid={testId}>
      {explanation.lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the lines are fixed for a row and never reordered
        <li key={i} data-kind={l.kind}>
          {en ? l.en : l.vi}
        </li>
      ))}
    </ul>
  );
}
