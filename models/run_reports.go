package models

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// RunReportQuery selects runs across campaigns for the reports page.
type RunReportQuery struct {
	From, To time.Time // runs started in [From, To); zero: unbounded
	State    string    // the campaign's state; "": any
	Q        string    // matched against the campaign's name
	Limit    int       // default and most MaxRunReports
}

// MaxRunReports bounds the runs one report lists.
const MaxRunReports = 2000

// RunReport is one run of one campaign with its counts per recipient state.
type RunReport struct {
	CampaignID    string
	CampaignName  string
	CampaignState string
	CampaignRun
	Counts StateCounts
}

// RunReports returns every run of every campaign the query selects, newest
// start first, each with the counts of the recipients whose last attempt
// was in that run (as the campaign report counts a run).
func (s *Store) RunReports(ctx context.Context, q RunReportQuery) ([]RunReport, error) {
	if q.Limit < 1 || q.Limit > MaxRunReports {
		q.Limit = MaxRunReports
	}
	var where []string
	var args []any
	if !q.From.IsZero() {
		where, args = append(where, s.q.RunReportFrom), append(args, q.From.UTC())
	}
	if !q.To.IsZero() {
		where, args = append(where, s.q.RunReportTo), append(args, q.To.UTC())
	}
	if q.State != "" {
		where, args = append(where, s.q.RunReportState), append(args, q.State)
	}
	if t := strings.TrimSpace(q.Q); t != "" {
		where, args = append(where, s.q.RunReportName), append(args, likePattern(t))
	}
	var runs []struct {
		CampaignID, Name, State, Kind string
		Run                           int
		Recipients                    int64
		StartedAt                     time.Time
		FinishedAt                    *time.Time
		UpdatedAt                     time.Time
	}
	// The runs first (few), then their counts from the recipients'
	// (campaign_id, state, seq) index, one grouped statement per campaign.
	// The filters are optional: the statement is assembled from named
	// pieces, the request's values only bound (GORM binds the ?s).
	err := s.db.WithContext(ctx).Raw(fillSlot(s.q.RunReports, "where", whereClause(where)), append(args, q.Limit)...).Scan(&runs).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list runs: %w", err)
	}
	counts := map[string]map[int]StateCounts{}
	out := make([]RunReport, 0, len(runs))
	for _, r := range runs {
		byRun, ok := counts[r.CampaignID]
		if !ok {
			if byRun, err = s.runCountsOf(ctx, r.CampaignID, r.UpdatedAt); err != nil {
				return nil, err
			}
			counts[r.CampaignID] = byRun
		}
		c := byRun[r.Run]
		if c == nil {
			c = StateCounts{}
		}
		out = append(out, RunReport{CampaignID: r.CampaignID, CampaignName: r.Name, CampaignState: r.State,
			CampaignRun: CampaignRun{CampaignID: r.CampaignID, Run: r.Run, Kind: r.Kind, Recipients: r.Recipients, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt},
			Counts:      c})
	}
	return out, nil
}

// runCountsTTL is how long the reports page reuses a campaign's counts per
// run: counting a 100k-recipient campaign reads 100k index entries, and a
// reports page lists every campaign. A campaign whose row changed (started,
// paused, finished, retried) is counted afresh at once; acks and sends in
// between show within the TTL.
const runCountsTTL = 15 * time.Second

type runCounts struct {
	at      time.Time // when counted
	version time.Time // the campaign's updated_at then
	byRun   map[int]StateCounts
}

// runCountsOf is countStatesByRun through the store's short-lived cache.
func (s *Store) runCountsOf(ctx context.Context, id string, version time.Time) (map[int]StateCounts, error) {
	if v, ok := s.runCounts.Load(id); ok {
		e := v.(runCounts)
		if e.version.Equal(version) && time.Since(e.at) < runCountsTTL {
			return e.byRun, nil
		}
	}
	at := time.Now()
	byRun, err := s.countStatesByRun(ctx, id)
	if err != nil {
		return nil, err
	}
	s.runCounts.Store(id, runCounts{at: at, version: version, byRun: byRun})
	return byRun, nil
}

// countStatesByRun counts a campaign's recipients per run and state.
func (s *Store) countStatesByRun(ctx context.Context, id string) (map[int]StateCounts, error) {
	var rows []struct {
		Run   int
		State string
		N     int64
	}
	err := s.db.WithContext(ctx).Raw(s.q.CountStatesByRun, id).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to count recipients per run: %w", err)
	}
	out := map[int]StateCounts{}
	for _, r := range rows {
		if out[r.Run] == nil {
			out[r.Run] = StateCounts{}
		}
		out[r.Run][r.State] = r.N
	}
	return out, nil
}
