import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { banksApi } from '../../api/banks';
import { toast } from '../../stores/toasts';
import { useErrorText } from '../../ui/errors';

interface Props {
  label: string;
  value: string;
  onChange: (html: string) => void;
  /** Smaller editor (options). */
  compact?: boolean;
  testId?: string;
  describedBy?: string;
}

type Command = 'bold' | 'italic' | 'underline' | 'insertUnorderedList' | 'insertOrderedList';

const TABLE_HTML =
  '<table><tbody><tr><td>&nbsp;</td><td>&nbsp;</td></tr><tr><td>&nbsp;</td><td>&nbsp;</td></tr></tbody></table><p><br></p>';

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Empty-looking editor content ("<br>", "<p><br></p>") counts as empty. */
function normalize(html: string): string {
  const stripped = html
    .replace(/<br\s*\/?>/gi, '')
    .replace(/<p>\s*<\/p>/gi, '')
    .trim();
  return stripped === '' ? '' : html;
}

/**
 * A small rich-text editor: contentEditable with a toolbar (bold, italic, underline, lists, table,
 * image upload). The toolbar is a roving-tabindex toolbar (one Tab stop, arrows move between
 * buttons); Ctrl+B/I/U work inside the text. The server sanitizes whatever HTML this produces.
 */
export function RichTextEditor({ label, value, onChange, compact, testId, describedBy }: Props) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const id = useId();
  const editorRef = useRef<HTMLDivElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const savedRange = useRef<Range | null>(null);
  const lastEmitted = useRef<string>(value);
  const [focusIdx, setFocusIdx] = useState(0);
  const [uploading, setUploading] = useState(false);
  const buttonsRef = useRef<(HTMLButtonElement | null)[]>([]);

  // external value changes (loading a question, switching type) replace the content
  useEffect(() => {
    const el = editorRef.current;
    if (!el) return;
    if (value !== lastEmitted.current || el.innerHTML === '') {
      if (el.innerHTML !== value) el.innerHTML = value;
      lastEmitted.current = value;
    }
  }, [value]);

  const emit = () => {
    const el = editorRef.current;
    if (!el) return;
    const html = normalize(el.innerHTML);
    lastEmitted.current = html;
    onChange(html);
  };

  const saveSelection = () => {
    const sel = window.getSelection();
    const el = editorRef.current;
    if (!sel || sel.rangeCount === 0 || !el) return;
    const r = sel.getRangeAt(0);
    if (el.contains(r.commonAncestorContainer)) savedRange.current = r.cloneRange();
  };

  const restoreSelection = () => {
    const el = editorRef.current;
    if (!el) return;
    el.focus();
    const sel = window.getSelection();
    if (!sel) return;
    sel.removeAllRanges();
    if (savedRange.current) {
      sel.addRange(savedRange.current);
    } else {
      const r = document.createRange();
      r.selectNodeContents(el);
      r.collapse(false);
      sel.addRange(r);
    }
  };

  const exec = (cmd: Command) => {
    restoreSelection();
    document.execCommand(cmd);
    saveSelection();
    emit();
  };

  const insertHtml = (html: string) => {
    restoreSelection();
    document.execCommand('insertHTML', false, html);
    saveSelection();
    emit();
  };

  const onImage = async (file: File | undefined) => {
    if (!file) return;
    setUploading(true);
    try {
      const img = await banksApi.uploadImage(file);
      insertHtml(`<img src="${escapeAttr(img.url)}" alt="${escapeAttr(file.name)}">`);
    } catch (err) {
      toast.error(errorText(err));
    } finally {
      setUploading(false);
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  const tools: { key: string; label: string; icon: string; run: () => void }[] = [
    { key: 'bold', label: t('rte.bold'), icon: 'B', run: () => exec('bold') },
    { key: 'italic', label: t('rte.italic'), icon: 'I', run: () => exec('italic') },
    { key: 'underline', label: t('rte.underline'), icon: 'U', run: () => exec('underline') },
    { key: 'ul', label: t('rte.bullets'), icon: '•≡', run: () => exec('insertUnorderedList') },
    { key: 'ol', label: t('rte.numbers'), icon: '1.≡', run: () => exec('insertOrderedList') },
    { key: 'table', label: t('rte.table'), icon: '▦', run: () => insertHtml(TABLE_HTML) },
    { key: 'image', label: t('rte.image'), icon: '🖼', run: () => fileRef.current?.click() },
  ];

  const onToolbarKey = (e: KeyboardEvent<HTMLDivElement>) => {
    let next = focusIdx;
    if (e.key === 'ArrowRight') next = (focusIdx + 1) % tools.length;
    else if (e.key === 'ArrowLeft') next = (focusIdx - 1 + tools.length) % tools.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tools.length - 1;
    else return;
    e.preventDefault();
    setFocusIdx(next);
    buttonsRef.current[next]?.focus();
  };

  const labelId = `${id}-label`;
  return (
    <div className={`rte${compact ? ' rte-compact' : ''}`} data-testid={testId}>
      <span className="rte-label" id={labelId}>
        {label}
      </span>
      <div className="rte-toolbar" role="toolbar" aria-label={`${t('rte.toolbar')}: ${label}`} onKeyDown={onToolbarKey}>
        {tools.map((tool, i) => (
          <button
            key={tool.key}
            ref={(el) => {
              buttonsRef.current[i] = el;
            }}
            type="button"
            className={`rte-btn rte-${tool.key}`}
            tabIndex={i === focusIdx ? 0 : -1}
            title={tool.label}
            aria-label={tool.label}
            disabled={tool.key === 'image' && uploading}
            // keep the text selection when clicking with the mouse
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              setFocusIdx(i);
              tool.run();
            }}
            data-testid={testId ? `${testId}-${tool.key}` : undefined}
          >
            <span aria-hidden="true">{tool.icon}</span>
          </button>
        ))}
        {uploading ? (
          <span className="rte-status" role="status">
            {t('rte.uploadingImage')}
          </span>
        ) : null}
        <input
          ref={fileRef}
          type="file"
          accept="image/png,image/jpeg,image/gif,image/webp"
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => void onImage(e.target.files?.[0])}
          data-testid={testId ? `${testId}-image-input` : undefined}
        />
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a rich-text box cannot be a textarea */}
      <div
        ref={editorRef}
        className="rte-content"
        contentEditable
        suppressContentEditableWarning
        role="textbox"
        aria-multiline="true"
        aria-labelledby={labelId}
        aria-describedby={describedBy}
        tabIndex={0}
        onInput={emit}
        onBlur={() => {
          saveSelection();
          emit();
        }}
        onKeyUp={saveSelection}
        onMouseUp={saveSelection}
        data-testid={testId ? `${testId}-content` : undefined}
      />
    </div>
  );
}
