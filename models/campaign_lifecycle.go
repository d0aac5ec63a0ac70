package models

import (
	"fmt"
	"slices"
	"strings"
)

// CampaignAction is something done to a campaign that its state may forbid.
type CampaignAction string

// Campaign actions.
const (
	ActionStart      CampaignAction = "start"      // freeze the recipients and send
	ActionSchedule   CampaignAction = "schedule"   // start by itself at a time
	ActionUnschedule CampaignAction = "unschedule" // back to a draft
	ActionPause      CampaignAction = "pause"
	ActionResume     CampaignAction = "resume"
	ActionStop       CampaignAction = "stop"     // end for good; pending recipients are never sent
	ActionComplete   CampaignAction = "complete" // the run sent everything
	ActionFail       CampaignAction = "fail"     // the runner gave up (the database kept failing)
	ActionRetry      CampaignAction = "retry"    // a new run with the failed recipients
	ActionReopen     CampaignAction = "reopen"   // unknown sends marked for resending in a finished campaign
	ActionEdit       CampaignAction = "edit"
	ActionDelete     CampaignAction = "delete"
)

// campaignRule is where an action may start from and where it leads ("" for
// an action that does not change the state).
type campaignRule struct {
	from []string
	to   string
	// refusal is what a person reads when the state forbids the action; a
	// %s in it is the campaign's state.
	refusal string
}

// campaignRules is the one place Sambad's campaign state rules live: the
// engine asks them before acting and the store keeps to them in the same
// statement that changes the state, so a concurrent change cannot slip in
// between.
var campaignRules = map[CampaignAction]campaignRule{
	ActionStart:      {from: []string{CampaignDraft, CampaignScheduled}, to: CampaignRunning, refusal: "a %s campaign cannot be started"},
	ActionSchedule:   {from: []string{CampaignDraft}, to: CampaignScheduled, refusal: "a %s campaign cannot become scheduled"},
	ActionUnschedule: {from: []string{CampaignScheduled}, to: CampaignDraft, refusal: "a %s campaign cannot become draft"},
	ActionPause:      {from: []string{CampaignRunning}, to: CampaignPaused, refusal: "only a running campaign can be paused (this one is %s)"},
	ActionResume:     {from: []string{CampaignPaused}, to: CampaignRunning, refusal: "only a paused campaign can be resumed (this one is %s)"},
	ActionStop:       {from: []string{CampaignScheduled, CampaignRunning, CampaignPaused}, to: CampaignStopped, refusal: "a %s campaign cannot become stopped"},
	ActionComplete:   {from: []string{CampaignRunning}, to: CampaignCompleted, refusal: "a %s campaign cannot become completed"},
	ActionFail:       {from: []string{CampaignRunning, CampaignPaused}, to: CampaignFailed, refusal: "a %s campaign cannot become failed"},
	ActionRetry:      {from: []string{CampaignCompleted, CampaignStopped, CampaignFailed}, to: CampaignRunning, refusal: "only a finished campaign can retry its failures (this one is %s)"},
	ActionReopen:     {from: []string{CampaignCompleted, CampaignStopped, CampaignFailed}, to: CampaignRunning, refusal: "a %s campaign cannot become running"},
	ActionEdit:       {from: []string{CampaignDraft, CampaignScheduled, CampaignPaused}, refusal: "a %s campaign cannot be edited"},
	ActionDelete:     {from: []string{CampaignDraft, CampaignScheduled, CampaignPaused, CampaignCompleted, CampaignStopped, CampaignFailed}, refusal: "stop the campaign before deleting it"},
}

// Allowed reports whether a campaign in state may undergo the action.
func (a CampaignAction) Allowed(state string) bool {
	return slices.Contains(campaignRules[a].from, state)
}

// from is the states the action may start from.
func (a CampaignAction) from() []string { return campaignRules[a].from }

// Check returns a *StateError when a campaign in state may not undergo the
// action, nil when it may.
func (a CampaignAction) Check(state string) error {
	if a.Allowed(state) {
		return nil
	}
	return &StateError{Action: a, State: state}
}

// CanTransition reports whether some action moves a campaign from one state
// to another.
func CanTransition(from, to string) bool {
	for a, r := range campaignRules {
		if r.to == to && a.Allowed(from) {
			return true
		}
	}
	return false
}

// CampaignEditable reports whether a campaign in this state may be edited.
func CampaignEditable(state string) bool { return ActionEdit.Allowed(state) }

// StateError says an action is not allowed in a campaign's current state;
// its message is for the person who asked. It wraps ErrState.
type StateError struct {
	Action CampaignAction
	State  string
}

// Error says what the state forbids, for the person who asked.
func (e *StateError) Error() string {
	msg := campaignRules[e.Action].refusal
	if strings.Contains(msg, "%s") {
		msg = fmt.Sprintf(msg, e.State)
	}
	return msg
}

// Unwrap makes errors.Is(err, ErrState) hold.
func (e *StateError) Unwrap() error { return ErrState }
