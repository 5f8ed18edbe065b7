import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message';
import { useAddNote } from '../api/add-note';
import '../agent-screen.css';

/** The agent writes down what was said or agreed; pinned notes go to the top of the profile. */
export function AddNote({ customerId }: { customerId: string }) {
  const [text, setText] = useState('');
  const [pinned, setPinned] = useState(false);
  const mutation = useAddNote();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim() || mutation.isPending) return;
    mutation.mutate(
      { customerId, text: text.trim(), pinned },
      {
        onSuccess: () => {
          setText('');
          setPinned(false);
        },
      },
    );
  };

  return (
    <form className="add-note" onSubmit={submit} data-testid="add-note">
      <textarea
        aria-label="Note"
        placeholder="What was said or agreed…"
        value={text}
        maxLength={5000}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // Ctrl/Cmd+Enter saves without leaving the keyboard; Esc here only leaves the field.
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
          if (e.key === 'Escape') {
            e.stopPropagation();
            e.currentTarget.blur();
          }
        }}
      />
      <div className="add-note-row">
        <label>
          <input type="checkbox" checked={pinned} onChange={(e) => setPinned(e.target.checked)} />{' '}
          Pin for every colleague
        </label>
        <button
          type="submit"
          className="button small"
          disabled={!text.trim() || mutation.isPending}
        >
          {mutation.isPending ? 'Saving…' : 'Add note'}
        </button>
      </div>
      {mutation.isSuccess && !mutation.isPending && (
        <span className="muted small" data-testid="add-note-done">
          Saved.
        </span>
      )}
      {mutation.isError && <ErrorMessage error={mutation.error} title="The note was not saved" />}
    </form>
  );
}
