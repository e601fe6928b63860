package review

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/awsidc/awsidc/identitycenter"
	"github.com/awsidc/awsidc/permissions"
)

// GroupRevoke says how to revoke one user's access that comes through a
// group. AWS cannot take it from one member alone: either the user leaves
// the group (and loses all it grants), or the group's assignment goes (and
// every member loses it).
type GroupRevoke string

// Group revoke policies.
const (
	// GroupRevokeRefuse plans nothing for group paths and says so. It is
	// the default.
	GroupRevokeRefuse GroupRevoke = "refuse"
	// GroupRevokeMembership removes the user from the group.
	GroupRevokeMembership GroupRevoke = "membership"
	// GroupRevokeAssignment deletes the group's assignment, for every member.
	GroupRevokeAssignment GroupRevoke = "assignment"
)

// ParseGroupRevoke returns the policy named s; "" is GroupRevokeRefuse.
func ParseGroupRevoke(s string) (GroupRevoke, error) {
	switch p := GroupRevoke(s); p {
	case "":
		return GroupRevokeRefuse, nil
	case GroupRevokeRefuse, GroupRevokeMembership, GroupRevokeAssignment:
		return p, nil
	}
	return "", fmt.Errorf("review: unknown group revoke policy %q, want refuse, membership "+
		"or assignment", s)
}

// ActionKind is what one action does.
type ActionKind string

// Action kinds. Grant, add-member and reactivate exist to undo the others.
const (
	ActionRevoke       ActionKind = "revoke"        // DeleteAccountAssignment
	ActionGrant        ActionKind = "grant"         // CreateAccountAssignment
	ActionRemoveMember ActionKind = "remove-member" // membership removal
	ActionAddMember    ActionKind = "add-member"    // membership creation
	ActionSuspend      ActionKind = "suspend"       // SCIM active=false
	ActionReactivate   ActionKind = "reactivate"    // SCIM active=true
	ActionDeprovision  ActionKind = "deprovision"   // the user is deleted
)

// Channel is the API an action goes through.
type Channel string

// Channels.
const (
	ChannelSSOAdmin      Channel = "sso-admin"
	ChannelSCIM          Channel = "scim"
	ChannelIdentityStore Channel = "identitystore"
)

// Action is one call that carries out decisions.
type Action struct {
	// ID names the action by what it changes, so that the same action
	// planned again in a later run has the same ID.
	ID      string     `json:"id"`
	Kind    ActionKind `json:"kind"`
	Channel Channel    `json:"channel"`
	// Assignment is the assignment revoked or granted.
	Assignment *permissions.Assignment `json:"assignment,omitempty"`
	UserID     string                  `json:"user_id,omitempty"`
	UserName   string                  `json:"user_name,omitempty"`
	GroupID    string                  `json:"group_id,omitempty"`
	GroupName  string                  `json:"group_name,omitempty"`
	// MembershipID is the membership removed, when the Identity Store
	// removes it.
	MembershipID string `json:"membership_id,omitempty"`
	// Irreversible actions need an explicit confirmation to apply.
	Irreversible bool `json:"irreversible,omitempty"`
	// Lines are the decision file lines the action carries out.
	Lines []int `json:"lines,omitempty"`
}

// String describes the action on one line: its kind and what it changes,
// with names escaped so that they cannot break the line.
func (a *Action) String() string {
	switch a.Kind {
	case ActionRevoke, ActionGrant:
		return fmt.Sprintf("%s %s", a.Kind, a.Assignment)
	case ActionRemoveMember, ActionAddMember:
		return fmt.Sprintf("%s user %s (%s) group %s (%s) via %s", a.Kind, oneLine(a.UserName),
			a.UserID, oneLine(a.GroupName), a.GroupID, a.Channel)
	}
	return fmt.Sprintf("%s user %s (%s) via %s", a.Kind, oneLine(a.UserName), a.UserID, a.Channel)
}

// actionID names an action by its kind and the ids of what it changes.
func actionID(kind ActionKind, ids ...string) string {
	return strings.Join(append([]string{string(kind)}, ids...), "|")
}

func assignmentActionID(kind ActionKind, a permissions.Assignment) string {
	return actionID(kind, a.AccountID, a.PermissionSetARN, string(a.PrincipalType),
		a.PrincipalID)
}

// DecisionStatus is what the plan does about one decision.
type DecisionStatus string

// Decision statuses.
const (
	StatusPlanned     DecisionStatus = "planned"
	StatusAlreadyDone DecisionStatus = "already done"
	StatusRefused     DecisionStatus = "refused"
	StatusKept        DecisionStatus = "kept"
)

// PlannedDecision is one decision and what the plan does about it.
type PlannedDecision struct {
	Line              int            `json:"line"`
	Decision          Decision       `json:"decision"`
	Reason            string         `json:"reason,omitempty"`
	UserID            string         `json:"user_id"`
	UserName          string         `json:"user_name"`
	AccountID         string         `json:"account_id"`
	AccountName       string         `json:"account_name,omitempty"`
	PermissionSetARN  string         `json:"permission_set_arn"`
	PermissionSetName string         `json:"permission_set_name,omitempty"`
	Status            DecisionStatus `json:"status"`
	// Actions are the IDs of the actions that carry the decision out.
	Actions []string `json:"actions,omitempty"`
	// Note says what the plan will and will not achieve.
	Note string `json:"note,omitempty"`
	// Remaining lists the paths that still grant a revoked access once the
	// plan is applied.
	Remaining []Path `json:"remaining,omitempty"`
}

// Key returns the access the decision is about.
func (d PlannedDecision) Key() Key { return Key{d.UserID, d.AccountID, d.PermissionSetARN} }

// ActionOptions tune [NewActionPlan].
type ActionOptions struct {
	// GroupRevoke is the policy for access through groups; "" refuses.
	GroupRevoke GroupRevoke
	// SCIM sends user and membership changes through SCIM; without it
	// they go through the Identity Store API, and suspend is refused.
	SCIM bool
}

// ActionPlan turns decisions into actions against the current state.
type ActionPlan struct {
	InstanceARN string            `json:"instance_arn"`
	GroupRevoke GroupRevoke       `json:"group_revoke"`
	Decisions   []PlannedDecision `json:"decisions"`
	Actions     []Action          `json:"actions"`
	// Collateral lists the access the actions take away that no decision
	// asked for: other members of a group whose assignment is deleted, and
	// what else a user removed from a group reached through it.
	Collateral []Access `json:"collateral"`
	// Undecided counts the rows left without a decision.
	Undecided int `json:"undecided"`

	snap *Snapshot // the state the plan was made against
}

// Irreversible returns the actions that cannot be undone.
func (p *ActionPlan) Irreversible() []Action {
	var out []Action
	for _, a := range p.Actions {
		if a.Irreversible {
			out = append(out, a)
		}
	}
	return out
}

// NewActionPlan checks d against the current state s (see
// [Decisions.Check]) and plans the actions that carry it out:
//
//   - revoke of a direct assignment: delete the user's assignment;
//   - revoke through a group: as opts.GroupRevoke says;
//   - suspend: set the user inactive through SCIM;
//   - deprovision: delete the user, through SCIM or the Identity Store;
//     irreversible, and it drops all the user's assignments.
//
// A decision already in effect (the access is gone, the user already
// suspended or deleted) plans nothing and is marked already done. The plan
// says, for each revoke, which paths still grant the access afterwards, and
// lists all other access the actions take away.
func NewActionPlan(s *Snapshot, d *Decisions, opts ActionOptions) (*ActionPlan, error) {
	if err := d.Check(s); err != nil {
		return nil, err
	}
	if opts.GroupRevoke == "" {
		opts.GroupRevoke = GroupRevokeRefuse
	}
	if _, err := ParseGroupRevoke(string(opts.GroupRevoke)); err != nil {
		return nil, err
	}
	b := newPlanner(s, opts)
	p := &ActionPlan{InstanceARN: s.InstanceARN, GroupRevoke: opts.GroupRevoke, snap: s}

	rows := slices.Clone(d.Rows)
	slices.SortStableFunc(rows, func(a, b DecisionRow) int { return cmp.Compare(a.Line, b.Line) })
	for _, r := range rows {
		if r.Decision == DecisionNone {
			p.Undecided++
			continue
		}
		p.Decisions = append(p.Decisions, b.decide(r))
	}
	p.Actions = b.actionList()
	p.Collateral = b.explain(p)
	return p, nil
}

// planner holds the lookups and the actions planned so far.
type planner struct {
	s          *Snapshot
	opts       ActionOptions
	users      map[string]identitycenter.User
	access     map[Key]Access
	membership map[[2]string]string // (group, user) -> membership id
	actions    map[string]*Action
}

func newPlanner(s *Snapshot, opts ActionOptions) *planner {
	b := &planner{s: s, opts: opts, users: map[string]identitycenter.User{},
		access: map[Key]Access{}, membership: map[[2]string]string{},
		actions: map[string]*Action{}}
	for _, u := range s.Users {
		b.users[u.ID] = u
	}
	for a := range s.Access(Filter{}) {
		b.access[a.Key()] = a
	}
	for _, m := range s.Memberships {
		b.membership[[2]string{m.GroupID, m.UserID}] = m.ID
	}
	return b
}

// add records an action for decision line, merging with an equal one.
func (b *planner) add(a Action, line int, pd *PlannedDecision) {
	if have, ok := b.actions[a.ID]; ok {
		have.Lines = append(have.Lines, line)
	} else {
		a.Lines = []int{line}
		b.actions[a.ID] = &a
	}
	pd.Actions = append(pd.Actions, a.ID)
}

func (b *planner) userChannel() Channel {
	if b.opts.SCIM {
		return ChannelSCIM
	}
	return ChannelIdentityStore
}

func (b *planner) decide(r DecisionRow) PlannedDecision {
	a := r.Access
	pd := PlannedDecision{Line: r.Line, Decision: r.Decision, Reason: r.Reason,
		UserID: a.UserID, UserName: a.UserName, AccountID: a.AccountID,
		AccountName: a.AccountName, PermissionSetARN: a.PermissionSetARN,
		PermissionSetName: a.PermissionSetName}
	u, exists := b.users[a.UserID]
	if exists {
		pd.UserName = u.UserName
	}

	switch r.Decision {
	case DecisionKeep:
		pd.Status = StatusKept
	case DecisionRevoke:
		b.revoke(&pd, exists)
	case DecisionSuspend:
		switch {
		case u.Status == identitycenter.StatusDisabled:
			pd.Status, pd.Note = StatusAlreadyDone, "the user is already suspended"
		case !b.opts.SCIM:
			pd.Status, pd.Note = StatusRefused, "suspending a user needs the SCIM endpoint"
		default:
			pd.Status = StatusPlanned
			pd.Note = "the user can no longer sign in; sessions already open run until " +
				"they expire; assignments stay"
			b.add(Action{ID: actionID(ActionSuspend, u.ID), Kind: ActionSuspend,
				Channel: ChannelSCIM, UserID: u.ID, UserName: u.UserName}, r.Line, &pd)
		}
	case DecisionDeprovision:
		if !exists {
			pd.Status, pd.Note = StatusAlreadyDone, "the user no longer exists"
			break
		}
		pd.Status = StatusPlanned
		pd.Note = "irreversible: the user is deleted with all memberships and assignments"
		b.add(Action{ID: actionID(ActionDeprovision, u.ID), Kind: ActionDeprovision,
			Channel: b.userChannel(), UserID: u.ID, UserName: u.UserName, Irreversible: true},
			r.Line, &pd)
	}
	return pd
}

func (b *planner) revoke(pd *PlannedDecision, userExists bool) {
	cur, ok := b.access[pd.Key()]
	if !userExists || !ok {
		pd.Status, pd.Note = StatusAlreadyDone, "the access is already gone"
		return
	}
	var refused []string
	for _, path := range cur.Via {
		if path.PrincipalType == permissions.PrincipalUser {
			asg := permissions.Assignment{AccountID: cur.AccountID,
				PermissionSetARN: cur.PermissionSetARN, PrincipalType: permissions.PrincipalUser,
				PrincipalID: cur.UserID}
			b.add(Action{ID: assignmentActionID(ActionRevoke, asg), Kind: ActionRevoke,
				Channel: ChannelSSOAdmin, Assignment: &asg, UserID: cur.UserID,
				UserName: cur.UserName}, pd.Line, pd)
			continue
		}
		switch b.opts.GroupRevoke {
		case GroupRevokeMembership:
			b.add(Action{ID: actionID(ActionRemoveMember, path.PrincipalID, cur.UserID),
				Kind: ActionRemoveMember, Channel: b.userChannel(), UserID: cur.UserID,
				UserName: cur.UserName, GroupID: path.PrincipalID, GroupName: path.GroupName,
				MembershipID: b.membership[[2]string{path.PrincipalID, cur.UserID}]},
				pd.Line, pd)
		case GroupRevokeAssignment:
			asg := permissions.Assignment{AccountID: cur.AccountID,
				PermissionSetARN: cur.PermissionSetARN, PrincipalType: permissions.PrincipalGroup,
				PrincipalID: path.PrincipalID}
			b.add(Action{ID: assignmentActionID(ActionRevoke, asg), Kind: ActionRevoke,
				Channel: ChannelSSOAdmin, Assignment: &asg, GroupID: path.PrincipalID,
				GroupName: path.GroupName}, pd.Line, pd)
		default:
			refused = append(refused, path.GroupName)
		}
	}
	pd.Status = StatusPlanned
	if len(pd.Actions) == 0 {
		pd.Status = StatusRefused
	}
	if len(refused) > 0 {
		pd.Note = fmt.Sprintf("access through group(s) %s is not revoked: the group revoke "+
			"policy is refuse (choose membership or assignment)", strings.Join(refused, ", "))
	}
}

// actionList returns the planned actions in a stable order.
func (b *planner) actionList() []Action {
	out := make([]Action, 0, len(b.actions))
	for _, a := range b.actions {
		out = append(out, *a)
	}
	order := map[ActionKind]int{ActionRevoke: 0, ActionRemoveMember: 1, ActionSuspend: 2,
		ActionDeprovision: 3}
	slices.SortFunc(out, func(x, y Action) int {
		return cmp.Or(cmp.Compare(order[x.Kind], order[y.Kind]), cmp.Compare(x.ID, y.ID))
	})
	return out
}

// explain simulates the plan on a copy of the state: it fills in each
// revoke's remaining paths, and returns the access lost that no decision
// asked for.
func (b *planner) explain(p *ActionPlan) []Access {
	after := simulate(b.s, p.Actions)
	remaining := map[Key]Access{}
	for a := range after.Access(Filter{}) {
		remaining[a.Key()] = a
	}
	asked := map[Key]bool{}
	gone := map[string]bool{}
	for i := range p.Decisions {
		pd := &p.Decisions[i]
		switch pd.Decision {
		case DecisionRevoke:
			asked[pd.Key()] = true
			if pd.Status == StatusAlreadyDone {
				continue
			}
			if r, ok := remaining[pd.Key()]; ok {
				pd.Remaining = r.Via
				pd.Note = joinNote(pd.Note, "access remains through "+ViaString(r.Via))
			} else if pd.Status == StatusPlanned {
				pd.Note = joinNote(pd.Note, "no access remains")
			}
		case DecisionDeprovision:
			gone[pd.UserID] = true
		}
	}
	collateral := []Access{}
	for c := range AccessChanges(b.s, after) {
		if c.Change == Removed && !asked[c.Key()] && !gone[c.UserID] {
			collateral = append(collateral, c.Access)
		}
	}
	slices.SortFunc(collateral, func(x, y Access) int {
		return cmp.Or(cmp.Compare(x.UserName, y.UserName), compareKeys(x.Key(), y.Key()))
	})
	return collateral
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// simulate returns a copy of s with actions applied.
func simulate(s *Snapshot, actions []Action) *Snapshot {
	out := *s
	out.Users = slices.Clone(s.Users)
	out.Memberships = slices.Clone(s.Memberships)
	out.Assignments = slices.Clone(s.Assignments)
	for _, a := range actions {
		switch a.Kind {
		case ActionRevoke:
			out.Assignments = slices.DeleteFunc(out.Assignments,
				func(x permissions.Assignment) bool { return x == *a.Assignment })
		case ActionRemoveMember:
			out.Memberships = slices.DeleteFunc(out.Memberships,
				func(m identitycenter.Membership) bool {
					return m.GroupID == a.GroupID && m.UserID == a.UserID
				})
		case ActionSuspend:
			for i := range out.Users {
				if out.Users[i].ID == a.UserID {
					out.Users[i].Status = identitycenter.StatusDisabled
				}
			}
		case ActionDeprovision:
			out.Users = slices.DeleteFunc(out.Users, func(u identitycenter.User) bool {
				return u.ID == a.UserID
			})
			out.Memberships = slices.DeleteFunc(out.Memberships,
				func(m identitycenter.Membership) bool { return m.UserID == a.UserID })
			out.Assignments = slices.DeleteFunc(out.Assignments,
				func(x permissions.Assignment) bool {
					return x.PrincipalType == permissions.PrincipalUser && x.PrincipalID == a.UserID
				})
		}
	}
	return &out
}

// WriteJSON writes the plan as one JSON document.
func (p *ActionPlan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// WriteTable writes the plan for a terminal: the decisions and what the
// plan does about each, the actions, and the collateral access lost.
func (p *ActionPlan) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "LINE\tDECISION\tUSER\tACCOUNT\tPERMISSION SET\tSTATUS\tNOTE\n")
	for _, d := range p.Decisions {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Line, d.Decision,
			oneLine(d.UserName), oneLine(d.AccountID+" "+d.AccountName),
			oneLine(d.PermissionSetName), d.Status, oneLine(d.Note))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d action(s), group revoke policy %s, %d row(s) undecided\n",
		len(p.Actions), p.GroupRevoke, p.Undecided)
	for _, a := range p.Actions {
		mark := ""
		if a.Irreversible {
			mark = " [IRREVERSIBLE]"
		}
		fmt.Fprintf(w, "  %s%s\n", a.String(), mark)
	}
	if len(p.Collateral) > 0 {
		fmt.Fprintf(w, "\nAccess also lost, though no decision asks for it (%d):\n",
			len(p.Collateral))
		if err := writeTable(w, slices.Values(p.Collateral), nil); err != nil {
			return err
		}
	}
	return nil
}
