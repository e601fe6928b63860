package awsidctest

import "fmt"

// demoUser is one row of the demo directory.
type demoUser struct {
	userName, given, family, display string
	email, status                    string
	groups                           []string
}

var demoUsers = []demoUser{
	{"alice.martin", "Alice", "Martin", "", "", "", []string{"Admins", "On-Call", "Platform"}},
	{"bob.nguyen", "Bob", "Nguyen", "", "", "", []string{"Developers", "On-Call"}},
	{"carol.smith", "Carol", "Smith", "", "", "", []string{"Developers"}},
	{"dan.obrien", "Dan", "O'Brien", "Dan O'Brien", "", "", []string{"Developers", "Support"}},
	{"erin.jones", "Erin", "Jones", "Jones, Erin", "", "", []string{"Auditors"}},
	{"zoe.angstrom", "Zoë", "Ångström", "", "", "", []string{"Data-Science", "Developers"}},
	{"frank.miller", "Frank", "Miller", "", "", "DISABLED", []string{"Admins"}},
	{"grace.hopper", "Grace", "Hopper", "", "-", "", []string{"Platform"}},
	{"hassan.ali", "Hassan", "Ali", "", "", "", []string{"Security"}},
	{"ines.garcia", "Inés", "García", "", "", "", []string{"Security", "Auditors"}},
	{"jack.wilson", "Jack", "Wilson", "", "", "", []string{"Billing"}},
	{"kate.brown", "Kate", "Brown", "", "", "", []string{"Billing", "Auditors"}},
	{"liam.davis", "Liam", "Davis", "", "", "", []string{"Developers"}},
	{"mia.lopez", "Mia", "Lopez", "", "", "", []string{"Developers", "Data-Science"}},
	{"noah.taylor", "Noah", "Taylor", "", "", "", []string{"Platform", "On-Call"}},
	{"olivia.moore", "Olivia", "Moore", "", "", "", []string{"Support"}},
	{"pavel.novak", "Pavel", "Novák", "", "", "", []string{"Developers"}},
	{"quinn.harris", "Quinn", "Harris", "", "", "", []string{"Support"}},
	{"ravi.patel", "Ravi", "Patel", "", "", "", []string{"Data-Science"}},
	{"sofia.rossi", "Sofia", "Rossi", "", "", "", []string{"Developers"}},
	{"tom.clark", "Tom", "Clark", "", "", "", []string{"Platform"}},
	{"uma.krishnan", "Uma", "Krishnan", "", "", "", []string{"Security"}},
	{"victor.huang", "Victor", "Huang", "", "", "", []string{"Developers", "On-Call"}},
	{"wendy.lewis", "Wendy", "Lewis", "", "", "", []string{"Auditors"}},
	{"xavier.dubois", "Xavier", "Dubois", "", "", "", []string{"Developers"}},
	{"yuki.tanaka", "Yuki", "Tanaka", "", "", "", []string{"Data-Science"}},
	{"zara.khan", "Zara", "Khan", "", "", "", []string{"Support", "Developers"}},
	{"aaron.walker", "Aaron", "Walker", "", "", "", []string{"Platform"}},
	{"beatriz.silva", "Beatriz", "Silva", "", "", "", []string{"Developers"}},
	{"chen.wei", "Wei", "Chen", "Chen Wei", "", "", []string{"Data-Science", "Platform"}},
	{"diana.young", "Diana", "Young", "", "", "", []string{"Billing"}},
	{"ethan.king", "Ethan", "King", "", "", "", []string{"Developers"}},
	{"fatima.haddad", "Fatima", "Haddad", "", "", "", []string{"Security"}},
	{"george.wright", "George", "Wright", "", "", "", nil},
	{"hannah.scott", "Hannah", "Scott", "", "", "", []string{"Support"}},
	{"ivan.petrov", "Ivan", "Petrov", "", "", "", []string{"Developers"}},
	{"julia.adams", "Julia", "Adams", "", "", "", []string{"Auditors"}},
	{"kenji.sato", "Kenji", "Sato", "", "", "", []string{"Platform", "Developers"}},
	{"lena.fischer", "Lena", "Fischer", "", "", "", []string{"Developers"}},
	{"marco.bianchi", "Marco", "Bianchi", "", "", "", []string{"On-Call"}},
}

var demoGroups = []struct{ name, description string }{
	{"Admins", "Full administrators"},
	{"Developers", "Application developers"},
	{"Auditors", "Internal audit, read only"},
	{"Billing", "Finance team"},
	{"Security", "Security engineering"},
	{"Platform", "Platform engineering"},
	{"Data-Science", "Data science team"},
	{"Support", "Customer support engineers"},
	{"Contractors", "External contractors (currently none)"},
	{"On-Call", "On-call rotation"},
}

var demoAccounts = []AccountSeed{
	{ID: "222222222222", Name: "production", Email: "aws-production@example.com"},
	{ID: "333333333333", Name: "staging", Email: "aws-staging@example.com"},
	{ID: "444444444444", Name: "development", Email: "aws-development@example.com"},
	{ID: "555555555555", Name: "security", Email: "aws-security@example.com"},
	{ID: "666666666666", Name: "logging", Email: "aws-logging@example.com"},
	{ID: "777777777777", Name: "sandbox", Email: "aws-sandbox@example.com"},
	{ID: "888888888888", Name: "legacy", Email: "aws-legacy@example.com", State: "SUSPENDED"},
}

const demoDeveloperPolicy = `{"Version":"2012-10-17","Statement":[` +
	`{"Effect":"Deny","Action":["iam:*","organizations:*"],"Resource":"*"},` +
	`{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],` +
	`"Resource":"arn:aws:s3:::example-artifacts/*"}]}`

var demoSets = []PermissionSetSeed{
	{
		Name: "AdministratorAccess", Description: "Full access to AWS services and resources",
		SessionDuration: "PT4H",
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"},
		Tags:            map[string]string{"risk": "high"},
	},
	{
		Name: "ReadOnlyAccess", Description: "Read-only access to all services",
		SessionDuration: "PT8H",
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"},
	},
	{
		Name: "Billing", Description: "Billing and cost management",
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/job-function/Billing"},
	},
	{
		Name: "DeveloperAccess", Description: "Power user without IAM, with artifact access",
		SessionDuration: "PT8H",
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/PowerUserAccess"},
		InlinePolicy:    demoDeveloperPolicy,
		Tags:            map[string]string{"owner": "platform", "risk": "medium"},
	},
	{
		Name: "SecurityAudit", Description: "Security auditing",
		ManagedPolicies: []string{"arn:aws:iam::aws:policy/SecurityAudit"},
	},
	{
		Name: "DataScientist", Description: "Data lake access within a boundary",
		SessionDuration: "PT12H", RelayState: "https://console.aws.amazon.com/sagemaker/",
		CustomerManaged: []CustomerManagedRef{{Name: "DataLakeReader", Path: "/teams/data/"}},
		Boundary:        &BoundarySeed{CustomerManaged: &CustomerManagedRef{Name: "DataBoundary"}},
	},
}

// demoGroupAssignments lists (group, account name, permission set name).
var demoGroupAssignments = [][3]string{
	{"Admins", "management", "AdministratorAccess"},
	{"Admins", "production", "AdministratorAccess"},
	{"Admins", "staging", "AdministratorAccess"},
	{"Admins", "development", "AdministratorAccess"},
	{"On-Call", "production", "AdministratorAccess"},
	{"Developers", "development", "DeveloperAccess"},
	{"Developers", "staging", "DeveloperAccess"},
	{"Developers", "production", "ReadOnlyAccess"},
	{"Auditors", "management", "ReadOnlyAccess"},
	{"Auditors", "production", "ReadOnlyAccess"},
	{"Auditors", "security", "SecurityAudit"},
	{"Auditors", "logging", "SecurityAudit"},
	{"Billing", "management", "Billing"},
	{"Security", "security", "AdministratorAccess"},
	{"Security", "production", "SecurityAudit"},
	{"Security", "logging", "SecurityAudit"},
	{"Platform", "development", "AdministratorAccess"},
	{"Platform", "production", "DeveloperAccess"},
	{"Data-Science", "sandbox", "DataScientist"},
	{"Data-Science", "development", "DataScientist"},
	{"Support", "production", "ReadOnlyAccess"},
	{"Contractors", "sandbox", "DeveloperAccess"},
}

// demoUserAssignments lists (userName, account name, permission set name).
var demoUserAssignments = [][3]string{
	{"alice.martin", "production", "AdministratorAccess"},
	{"george.wright", "logging", "ReadOnlyAccess"},
	{"frank.miller", "sandbox", "AdministratorAccess"},
	{"grace.hopper", "staging", "ReadOnlyAccess"},
}

// Demo returns a small, realistic organisation built the same way on every
// run (same ids, ARNs and timestamps), for examples and golden files:
//
//   - 40 users, among them "Jones, Erin" (a comma), "Dan O'Brien" (a
//     quote), "Zoë Ångström", the disabled frank.miller and grace.hopper who
//     has no email and no external id;
//   - 10 groups, among them Contractors, empty but assigned, and George
//     Wright in no group at all;
//   - the management account and 7 member accounts, legacy (888888888888)
//     SUSPENDED;
//   - 6 permission sets: AdministratorAccess, ReadOnlyAccess, Billing,
//     DeveloperAccess (with an inline policy), SecurityAudit and
//     DataScientist (a customer managed policy and a permissions boundary);
//   - group and direct assignments: alice.martin reaches AdministratorAccess
//     on production directly and through Admins and On-Call;
//   - a leftover assignment of the deleted group Legacy-Ops on the legacy
//     account.
func Demo() *Org {
	o := NewOrg(WithSeed("demo"))
	if err := seedDemo(o); err != nil {
		// The data above is fixed; only a bug in the fake can get here.
		panic(fmt.Sprintf("awsidctest: building the demo organisation: %v", err))
	}
	return o
}

func seedDemo(o *Org) error {
	groups := map[string]string{}
	for _, g := range demoGroups {
		id, err := o.AddGroup(g.name, g.description)
		if err != nil {
			return err
		}
		groups[g.name] = id
	}

	users := map[string]string{}
	for _, u := range demoUsers {
		seed := UserSeed{
			UserName: u.userName, GivenName: u.given, FamilyName: u.family,
			DisplayName: u.display, Status: u.status,
			Email: u.userName + "@example.com", ExternalID: "okta-" + u.userName,
		}
		if seed.DisplayName == "" {
			seed.DisplayName = u.given + " " + u.family
		}
		if u.email == "-" {
			// Made by hand in the console, not by the identity provider.
			seed.Email, seed.ExternalID = "", ""
		}
		id, err := o.AddUser(seed)
		if err != nil {
			return err
		}
		users[u.userName] = id
		for _, g := range u.groups {
			if _, err := o.AddMember(groups[g], id); err != nil {
				return err
			}
		}
	}

	accounts := map[string]string{"management": ManagementAccountID}
	for _, a := range demoAccounts {
		id, err := o.AddAccount(a)
		if err != nil {
			return err
		}
		accounts[a.Name] = id
	}

	sets := map[string]string{}
	for _, p := range demoSets {
		arn, err := o.AddPermissionSet(p)
		if err != nil {
			return err
		}
		sets[p.Name] = arn
	}

	for _, a := range demoGroupAssignments {
		if err := o.Assign(accounts[a[1]], sets[a[2]], principalGroup, groups[a[0]]); err != nil {
			return err
		}
	}
	for _, a := range demoUserAssignments {
		if err := o.Assign(accounts[a[1]], sets[a[2]], principalUser, users[a[0]]); err != nil {
			return err
		}
	}

	legacy, err := o.AddGroup("Legacy-Ops", "Retired operations team")
	if err != nil {
		return err
	}
	err = o.Assign(accounts["legacy"], sets["AdministratorAccess"], principalGroup, legacy)
	if err != nil {
		return err
	}
	if err := o.DeleteGroup(legacy); err != nil {
		return err
	}
	return nil
}
