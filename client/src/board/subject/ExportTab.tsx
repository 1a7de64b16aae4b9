import type { ImportFormat } from '@exam/shared';
import { useTranslation } from 'react-i18next';
import { banksApi, EXPORT_FORMATS } from '../../api/banks';
import type { SubjectTabProps } from '../pages/SubjectPage';

export function ExportTab({ subject }: SubjectTabProps) {
  const { t } = useTranslation();
  const names: Record<ImportFormat, string> = {
    xlsx: t('export.xlsx'),
    csv: t('export.csv'),
    json: t('export.json'),
    aiken: t('export.aiken'),
    gift: t('export.gift'),
    docx: t('importFormats.exportDocx'),
    moodlexml: t('importFormats.exportMoodle'),
    qti: t('importFormats.exportQti21'),
  };
  return (
    <div data-testid="export-tab">
      <h2>{t('export.title')}</h2>
      <p className="muted">{t('export.intro')}</p>
      <ul className="download-list">
        {EXPORT_FORMATS.map((f) => (
          <li key={f}>
            <a className="btn" href={banksApi.exportUrl(subject.id, f)} download data-testid={`export-${f}`}>
              ⭳ {t('export.download', { format: names[f] })}
            </a>
          </li>
        ))}
        <li>
          <a className="btn" href={banksApi.exportUrl(subject.id, 'qti', '3.0')} download data-testid="export-qti30">
            ⭳ {t('export.download', { format: t('importFormats.exportQti30') })}
          </a>
        </li>
      </ul>
    </div>
  );
}
