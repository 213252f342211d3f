package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// scrapeTimeout bounds the database queries of one scrape: a slow database
// makes a scrape miss those series, never hang.
const scrapeTimeout = 2 * time.Second

// jobQueue counts the job queue's jobs by state (River's river_job table)
// at every scrape. The table exists only once the queue has been set up,
// so its absence (or any error) just leaves the series out.
type jobQueue struct {
	db      *sql.DB
	dialect string
	logger  *slog.Logger
	desc    *prometheus.Desc
}

// JobQueue returns the collector of the job queue's jobs by state; dialect
// is "postgres" or "sqlite3".
func JobQueue(db *sql.DB, dialect string, logger *slog.Logger) prometheus.Collector {
	return &jobQueue{db: db, dialect: dialect, logger: logger, desc: prometheus.NewDesc(
		"wisselaar_jobs", "Jobs in the job queue by state (available, running, retryable, completed, discarded, …).",
		[]string{"state"}, nil)}
}

func (j *jobQueue) Describe(ch chan<- *prometheus.Desc) { ch <- j.desc }

func (j *jobQueue) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	exists := `SELECT to_regclass('river_job') IS NOT NULL`
	if j.dialect == "sqlite3" {
		exists = `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'river_job')`
	}
	var ok bool
	if err := j.db.QueryRowContext(ctx, exists).Scan(&ok); err != nil || !ok {
		return
	}
	rows, err := j.db.QueryContext(ctx, `SELECT CAST(state AS TEXT), COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		j.logger.Warn("metrics: counting jobs", "err", err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n float64
		if err := rows.Scan(&state, &n); err != nil {
			return
		}
		ch <- prometheus.MustNewConstMetric(j.desc, prometheus.GaugeValue, n, state)
	}
}
