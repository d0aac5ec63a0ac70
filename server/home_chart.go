package server

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/sambad/sambad/models"
)

// chartDays is how many days the home page's chart covers, today included.
const chartDays = 14

// pastDayMaxAge is how long a finished day's counts are reused. A finished
// day only changes when campaigns are deleted or a backup is restored, so
// the home page counts today alone on almost every load.
const pastDayMaxAge = 10 * time.Minute

// activityCache keeps the counts of days that are over.
type activityCache struct {
	mu   sync.Mutex
	days map[string]cachedDay
}

type cachedDay struct {
	at time.Time
	a  models.DayActivity
}

// forget drops every cached day (after a restore).
func (c *activityCache) forget() {
	c.mu.Lock()
	c.days = nil
	c.mu.Unlock()
}

// activity returns the last chartDays days in loc, oldest first.
func (s *Server) activity(ctx context.Context, now time.Time, loc *time.Location) ([]models.DayActivity, error) {
	now = now.In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	out := make([]models.DayActivity, 0, chartDays)
	for i := chartDays - 1; i >= 0; i-- {
		day := time.Date(today.Year(), today.Month(), today.Day()-i, 0, 0, 0, 0, loc)
		key := day.Format(time.RFC3339)
		if i > 0 {
			s.activityCache.mu.Lock()
			c, ok := s.activityCache.days[key]
			s.activityCache.mu.Unlock()
			if ok && now.Sub(c.at) < pastDayMaxAge {
				out = append(out, c.a)
				continue
			}
		}
		a, err := s.store.Activity(ctx, day)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			s.activityCache.mu.Lock()
			if s.activityCache.days == nil || len(s.activityCache.days) > 4*chartDays {
				s.activityCache.days = map[string]cachedDay{}
			}
			s.activityCache.days[key] = cachedDay{at: now, a: a}
			s.activityCache.mu.Unlock()
		}
		out = append(out, a)
	}
	return out, nil
}

// dayChart is the 14-day chart, laid out for SVG: one column per day, four
// bars per column in the report chart's colours.
type dayChart struct {
	W, H, Base int
	Left       int // where the plot starts; tick labels end just before
	Max        int64
	Cols       []chartCol
	Ticks      []chartTick
	Empty      bool
}

type chartCol struct {
	X, LabelX int
	Label     string
	Title     string
	Bars      []chartRect
}

type chartRect struct {
	X, Y, W, H int
	Class      string
	N          int64
}

type chartTick struct {
	Y     int
	Label string
}

var chartSeries = []string{"sent", "delivered", "read", "failed"}

// chartShape is one layout of the chart: wide for desktops, compact for
// phones (the same days, drawn in a box whose text stays readable at 360 px).
type chartShape struct{ W, Left, ColW, BarW int }

var (
	wideChart    = chartShape{W: 900, Left: 56, ColW: 60, BarW: 12}
	compactChart = chartShape{W: 400, Left: 40, ColW: 25, BarW: 5}
)

// newDayChart scales the days' bars to the largest count.
func newDayChart(days []models.DayActivity, shape chartShape) dayChart {
	ch := dayChart{W: shape.W, H: 230, Base: 200, Left: shape.Left}
	left, colW, barW := shape.Left, shape.ColW, shape.BarW
	for _, d := range days {
		ch.Max = max(ch.Max, d.Sent, d.Delivered, d.Read, d.Failed)
	}
	ch.Empty = ch.Max == 0
	top := niceCeil(ch.Max)
	plotH := ch.Base - 10
	for i := int64(0); i <= 4; i++ {
		v := top * i / 4
		ch.Ticks = append(ch.Ticks, chartTick{Y: ch.Base - int(v*int64(plotH)/top), Label: strconv.FormatInt(v, 10)})
	}
	for i, d := range days {
		x := left + i*colW
		col := chartCol{X: x, LabelX: x + colW/2, Label: d.Day.Format("2"),
			Title: d.Day.Format("Mon 2 Jan") + ": " + strconv.FormatInt(d.Sent, 10) + " sent, " +
				strconv.FormatInt(d.Delivered, 10) + " delivered, " + strconv.FormatInt(d.Read, 10) + " read, " +
				strconv.FormatInt(d.Failed, 10) + " failed"}
		for j, n := range []int64{d.Sent, d.Delivered, d.Read, d.Failed} {
			h := int(n * int64(plotH) / top)
			if n > 0 && h < 2 {
				h = 2 // a day with a few sends still shows a mark
			}
			col.Bars = append(col.Bars, chartRect{X: x + (colW-4*barW)/2 + j*barW, Y: ch.Base - h, W: barW - 1, H: h, Class: chartSeries[j], N: n})
		}
		ch.Cols = append(ch.Cols, col)
	}
	return ch
}

// niceCeil rounds n up to a round number that four grid steps divide
// evenly (at least 4).
func niceCeil(n int64) int64 {
	if n <= 4 {
		return 4
	}
	p := int64(1)
	for p*10 < n {
		p *= 10
	}
	for _, m := range []int64{1, 2, 4, 5, 8, 10, 20} {
		if m*p >= n && (m*p)%4 == 0 {
			return m * p
		}
	}
	return 20 * p
}
