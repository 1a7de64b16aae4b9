import { useTranslation } from 'react-i18next';

/** The n, p, D and r_pb header cells, shared by the exam's and the question's item analysis. */
export function ItemStatHeaders() {
  const { t } = useTranslation();
  return (
    <>
      <th scope="col" className="num">
        {t('results.items.n')}
      </th>
      <th scope="col" className="num">
        <abbr title={t('results.items.facilityLong')}>p</abbr>
      </th>
      <th scope="col" className="num">
        <abbr title={t('results.items.discriminationLong')}>D</abbr>
      </th>
      <th scope="col" className="num">
        <abbr title={t('results.items.pbLong')}>
          r<sub>pb</sub>
        </abbr>
      </th>
    </>
  );
}
