package lanes

// Timeline draws the lanes of one or more runs over time.
type Timeline struct {
	runs []*Run
}

// Timeline returns the timeline of the run.
func (r *Run) Timeline() *Timeline { return &Timeline{runs: []*Run{r}} }
