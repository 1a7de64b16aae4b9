import { Route, Routes } from 'react-router-dom';
import { NotFound } from '../../ui/NotFound';
import { ExamPage } from './ExamPage';
import { ExamsPage } from './ExamsPage';

/** /board/exams/… — loaded lazily by BoardApp. */
export function ExamsRoutes() {
  return (
    <Routes>
      <Route index element={<ExamsPage />} />
      <Route path=":examId/:tab?/:sub?" element={<ExamPage />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
