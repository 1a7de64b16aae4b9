import { ApiError } from '../api/http';
import { useErrorText } from './errors';

/**
 * An error block: the server's message and, when it lists them, each problem on its own line
 * (the server's summary repeats them after a colon, so only the part before it is kept then).
 */
export function ErrorBox({ error, testId = 'error' }: { error: unknown; testId?: string }) {
  const text = useErrorText();
  if (!error) return null;
  const message = text(error);
  const issues = error instanceof ApiError ? error.issueMessages() : [];
  const listed = issues.length > 0;
  const head = listed && issues.some((i) => message.includes(i)) && message.includes(':') ? message.split(':')[0] : message;
  return (
    <div className="alert alert-error" role="alert" data-testid={testId}>
      <p className={listed ? 'strong' : undefined}>{head}</p>
      {listed ? (
        <ul data-testid={`${testId}-issues`}>
          {issues.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages may repeat
            <li key={i}>{m}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
