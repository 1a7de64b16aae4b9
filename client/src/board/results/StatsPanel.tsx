import { BarElement, CategoryScale, Chart, type ChartOptions, LinearScale, Tooltip } from 'chart.js';
import { useId } from 'react';
import { Bar } from 'react-chartjs-2';
import { useTranslation } from 'react-i18next';
import type { ExamDetail } from '../../api/exams';
import { type HistogramDto, type PassRateDto, resultsApi } from '../../api/results';
import { formatNumber } from '../../i18n/format';
import { ErrorBox } from '../../ui/ErrorBox';
import { Loading } from '../../ui/Loading';
import { useResource } from '../../ui/useResource';
import { percent, score } from './labels';

// only what a bar chart needs (chart.js is tree-shaken); this module is its own lazy chunk
Chart.register(CategoryScale, LinearScale, BarElement, Tooltip);

const PRIMARY = '#0d4c92';
const SUCCESS = '#1e7a3c';
const numberTicks = { callback: (v: string | number) => formatNumber(Number(v)), precision: 0 };

function Histogram({ h }: { h: HistogramDto }) {
  const { t } = useTranslation();
  const id = useId();
  const labels = h.bins.map((b) => `${score(b.from)}–${score(b.to)}`);
  const total = h.bins.reduce((n, b) => n + b.count, 0);
  const options: ChartOptions<'bar'> = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      tooltip: {
        callbacks: { label: (c) => t('results.stats.countTip', { n: formatNumber(Number(c.parsed.y)) }) },
      },
    },
    scales: {
      x: { title: { display: true, text: t('results.stats.scoreAxis', { max: score(h.scoreScale) }) } },
      y: { beginAtZero: true, ticks: numberTicks, title: { display: true, text: t('results.stats.candidatesAxis') } },
    },
  };
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid={`histogram-${h.partId}`}>
      <h3 id={`${id}-h`} className="h-small">
        {h.name}
      </h3>
      <p className="muted">
        {t('results.stats.summary', { n: formatNumber(total), mean: score(h.mean), rate: percent(h.passRate) })}
      </p>
      {total === 0 ? (
        <p className="empty">{t('common.empty')}</p>
      ) : (
        <div className="chart-box">
          <Bar
            data={{
              labels,
              datasets: [
                { label: t('results.stats.candidatesAxis'), data: h.bins.map((b) => b.count), backgroundColor: PRIMARY },
              ],
            }}
            options={options}
            role="img"
            aria-label={t('results.stats.histogramAria', { part: h.name })}
          />
        </div>
      )}
      <details>
        <summary>{t('results.stats.asTable')}</summary>
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">{t('results.stats.bin')}</th>
              <th scope="col" className="num">
                {t('results.stats.candidatesAxis')}
              </th>
            </tr>
          </thead>
          <tbody>
            {h.bins.map((b, i) => (
              <tr key={labels[i]}>
                <th scope="row">{labels[i]}</th>
                <td className="num">{formatNumber(b.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function PassRates({ title, rows, testId }: { title: string; rows: PassRateDto[]; testId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const options: ChartOptions<'bar'> = {
    indexAxis: 'y',
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      tooltip: {
        callbacks: {
          label: (c) => {
            const r = rows[c.dataIndex];
            return r
              ? t('results.stats.rateTip', {
                  rate: percent(r.rate),
                  passed: formatNumber(r.passed),
                  n: formatNumber(r.candidates),
                })
              : '';
          },
        },
      },
    },
    scales: {
      x: { min: 0, max: 100, ticks: { callback: (v) => `${formatNumber(Number(v))}%` } },
    },
  };
  return (
    <section className="card" aria-labelledby={`${id}-h`} data-testid={testId}>
      <h3 id={`${id}-h`} className="h-small">
        {title}
      </h3>
      {rows.length === 0 ? (
        <p className="empty">{t('common.empty')}</p>
      ) : (
        <>
          <div className="chart-box" style={{ height: `${Math.max(140, rows.length * 34 + 60)}px` }}>
            <Bar
              data={{
                labels: rows.map((r) => r.label),
                datasets: [
                  {
                    label: t('results.stats.rate'),
                    data: rows.map((r) => (r.rate === null ? 0 : Math.round(r.rate * 1000) / 10)),
                    backgroundColor: SUCCESS,
                  },
                ],
              }}
              options={options}
              role="img"
              aria-label={title}
            />
          </div>
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">{t('results.stats.group')}</th>
                <th scope="col" className="num">
                  {t('results.stats.candidatesAxis')}
                </th>
                <th scope="col" className="num">
                  {t('results.stats.passed')}
                </th>
                <th scope="col" className="num">
                  {t('results.stats.rate')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">{r.label}</th>
                  <td className="num">{formatNumber(r.candidates)}</td>
                  <td className="num">{formatNumber(r.passed)}</td>
                  <td className="num">{percent(r.rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** Score distributions per part and pass rates per room and per position, as charts (with the numbers as tables). */
export function StatsPanel({ exam }: { exam: ExamDetail }) {
  const { t } = useTranslation();
  const stats = useResource(() => resultsApi.stats(exam.id), [exam.id]);
  if (stats.error && !stats.data) return <ErrorBox error={stats.error} />;
  if (!stats.data) return <Loading />;
  const s = stats.data;
  return (
    <div data-testid="stats-panel">
      <h3>{t('results.stats.histograms')}</h3>
      {s.histograms.length === 0 ? <p className="empty">{t('common.empty')}</p> : null}
      <div className="chart-grid">
        {s.histograms.map((h) => (
          <Histogram key={h.partId} h={h} />
        ))}
      </div>
      <div className="chart-grid">
        <PassRates title={t('results.stats.byRoom')} rows={s.byRoom} testId="pass-by-room" />
        <PassRates title={t('results.stats.byPosition')} rows={s.byPosition} testId="pass-by-position" />
      </div>
    </div>
  );
}
