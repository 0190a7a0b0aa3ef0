import { histogramTotals } from './purge-lag.ts';

describe('histogramTotals', () => {
  const text = [
    '# HELP edgeplane_edge_purge_lag_seconds Time from a purge being committed...',
    '# TYPE edgeplane_edge_purge_lag_seconds histogram',
    'edgeplane_edge_purge_lag_seconds_bucket{le="0.005"} 3',
    'edgeplane_edge_purge_lag_seconds_bucket{le="+Inf"} 4',
    'edgeplane_edge_purge_lag_seconds_sum 0.042',
    'edgeplane_edge_purge_lag_seconds_count 4',
    'edgeplane_edge_purge_lag_seconds_other_sum 9',
  ].join('\n');

  it('reads the sum and count of the named histogram only', () => {
    expect(histogramTotals(text, 'edgeplane_edge_purge_lag_seconds')).toEqual({
      sum: 0.042,
      count: 4,
    });
  });

  it('reads labelled series and gives zeros when the histogram is absent', () => {
    expect(histogramTotals('lag_sum{region="a"} 1.5\nlag_count{region="a"} 3\n', 'lag')).toEqual({
      sum: 1.5,
      count: 3,
    });
    expect(histogramTotals('', 'lag')).toEqual({ sum: 0, count: 0 });
  });
});
