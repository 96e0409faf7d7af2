import type { SendFilePreview } from '../../../../shared/contract/send-files-methods';
import type { Answer } from '../../hooks/use-latest-answer';
import type { SendMappingForm } from '../../model/send-mapping-form';
import { metricColumnNames, toggledMetricColumn } from '../../model/send-metric-columns';

interface Props {
  form: SendMappingForm;
  onForm: (form: SendMappingForm) => void;
  /** The metrics file read as a table, for its column names. */
  preview: Answer<SendFilePreview>;
}

/** The metrics table's options: separator, header row, x-axis column and the columns sent. */
export function SendMetricsOptions({ form, onForm, preview }: Props) {
  const columns =
    preview.state === 'done' ? metricColumnNames(preview.data.table, form.metricsHeader) : [];
  return (
    <fieldset className="send-options" data-testid="send-metrics-options">
      <legend>Metrics ({form.metricsFile})</legend>
      <div className="send-options-row">
        <label className="field">
          <span>Separator</span>
          <input
            aria-label="Separator"
            value={form.separator}
            placeholder="guess"
            maxLength={4}
            size={6}
            onChange={(event) => onForm({ ...form, separator: event.target.value })}
          />
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.metricsHeader}
            onChange={(event) =>
              onForm({ ...form, metricsHeader: event.target.checked, xAxis: '', metricColumns: [] })
            }
          />{' '}
          The first row names the columns
        </label>
        <label className="field">
          <span>X axis (steps)</span>
          <select
            data-testid="send-x-axis"
            value={form.xAxis}
            onChange={(event) =>
              onForm({
                ...form,
                xAxis: event.target.value,
                metricColumns: form.metricColumns.filter((name) => name !== event.target.value),
              })
            }
          >
            <option value="">Row number</option>
            {columns.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {preview.state === 'done' && preview.data.problem !== null && (
        <div className="form-error" role="alert" data-testid="send-metrics-problem">
          {preview.data.problem}
        </div>
      )}
      {columns.length > 0 && (
        <div className="send-metric-columns">
          <span>Series sent:</span>
          {columns
            .filter((name) => name !== form.xAxis)
            .map((name) => (
              <label key={name} className="checkbox">
                <input
                  type="checkbox"
                  data-testid="send-metric-column"
                  data-column={name}
                  checked={form.metricColumns.length === 0 || form.metricColumns.includes(name)}
                  onChange={() =>
                    onForm({
                      ...form,
                      metricColumns: toggledMetricColumn(
                        columns,
                        form.xAxis,
                        form.metricColumns,
                        name,
                      ),
                    })
                  }
                />{' '}
                {name}
              </label>
            ))}
        </div>
      )}
    </fieldset>
  );
}
