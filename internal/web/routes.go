package web

import (
	"net/http"

	"caunoi"
)

// Rule says who may call a route. A route without a rule does not start:
// build panics, and the authorization test fails.
type Rule struct {
	// Public routes need no sign-in.
	Public bool
	// SignedIn routes need any signed-in actor.
	SignedIn bool
	// Perm routes need the actor to hold the permission on some
	// organisation; storage then scopes what they see.
	Perm caunoi.Permission
}

// Valid reports whether the rule says something.
func (r Rule) Valid() bool { return r.Public || r.SignedIn || r.Perm != "" }

// Route is one line of the route table.
type Route struct {
	Method  string
	Path    string
	Rule    Rule
	Handler http.HandlerFunc
}

// API reports whether the route belongs to the JSON API.
func (r Route) API() bool { return len(r.Path) >= 8 && r.Path[:8] == "/api/v1/" }

var (
	public   = Rule{Public: true}
	signedIn = Rule{SignedIn: true}
)

func perm(p caunoi.Permission) Rule { return Rule{Perm: p} }

// routeTable is the whole route table: pages, then the JSON API.
func (s *Server) routeTable() []Route {
	a := s.API
	return []Route{
		// Public.
		{"GET", "/healthz", public, s.healthz},
		{"GET", "/static/", public, s.static},
		{"GET", "/login", public, s.loginForm},
		{"POST", "/login", public, s.login},
		{"POST", "/lang", public, s.setLang},
		{"GET", "/sw.js", public, s.serviceWorkerScript},
		{"GET", "/manifest.webmanifest", public, s.manifest},
		{"GET", "/offline", public, s.offline},

		// Signed in.
		{"GET", "/{$}", signedIn, s.home},
		{"POST", "/logout", signedIn, s.logout},
		{"GET", "/account", perm(caunoi.PermTokenOwn), s.account},
		{"POST", "/account/password", signedIn, s.changePassword},
		{"POST", "/account/tokens", perm(caunoi.PermTokenOwn), s.createToken},
		{"POST", "/account/tokens/{id}/revoke", perm(caunoi.PermTokenOwn), s.revokeToken},

		{"GET", "/orgs", perm(caunoi.PermOrgRead), s.orgList},
		{"GET", "/orgs/new", perm(caunoi.PermOrgWrite), s.orgNew},
		{"POST", "/orgs", perm(caunoi.PermOrgWrite), s.orgCreate},
		{"GET", "/orgs/{id}", perm(caunoi.PermOrgRead), s.orgShow},
		{"GET", "/orgs/{id}/edit", perm(caunoi.PermOrgWrite), s.orgEdit},
		{"POST", "/orgs/{id}", perm(caunoi.PermOrgWrite), s.orgUpdate},
		{"POST", "/orgs/{id}/void", perm(caunoi.PermOrgWrite), s.orgVoid},

		{"GET", "/users", perm(caunoi.PermUserRead), s.userList},
		{"GET", "/users/new", perm(caunoi.PermUserWrite), s.userNew},
		{"POST", "/users", perm(caunoi.PermUserWrite), s.userCreate},
		{"GET", "/users/{id}", perm(caunoi.PermUserRead), s.userShow},
		{"POST", "/users/{id}", perm(caunoi.PermUserWrite), s.userUpdate},
		{"POST", "/users/{id}/grants", perm(caunoi.PermUserWrite), s.userGrant},
		{"POST", "/users/{id}/grants/remove", perm(caunoi.PermUserWrite), s.userUngrant},
		{"POST", "/users/{id}/password", perm(caunoi.PermUserWrite), s.userPassword},
		{"POST", "/users/{id}/revoke-sessions", perm(caunoi.PermUserWrite), s.userRevokeSessions},

		{"GET", "/audit", perm(caunoi.PermAuditRead), s.auditList},

		{"GET", "/admin-units", perm(caunoi.PermUnitRead), s.unitList},
		{"GET", "/admin-units/import", perm(caunoi.PermUnitWrite), s.unitImportForm},
		{"POST", "/admin-units/import", perm(caunoi.PermUnitWrite), s.unitImport},

		{"GET", "/clients", perm(caunoi.PermClientRead), s.clientList},
		{"GET", "/clients/new", perm(caunoi.PermClientWrite), s.clientNew},
		{"POST", "/clients", perm(caunoi.PermClientWrite), s.clientCreate},
		{"GET", "/clients/export", perm(caunoi.PermClientRead), s.clientExport},
		{"POST", "/clients/lookup", perm(caunoi.PermClientRead), s.clientLookup},
		{"GET", "/clients/{id}", perm(caunoi.PermClientRead), s.clientShow},
		{"GET", "/clients/{id}/edit", perm(caunoi.PermClientWrite), s.clientEdit},
		{"POST", "/clients/{id}", perm(caunoi.PermClientWrite), s.clientUpdate},
		{"POST", "/clients/{id}/void", perm(caunoi.PermClientWrite), s.clientVoid},
		{"POST", "/clients/{id}/status", perm(caunoi.PermClientWrite), s.clientStatus},
		{"POST", "/clients/{id}/consents", perm(caunoi.PermClientWrite), s.consentCreate},
		{"POST", "/consents/{id}/withdraw", perm(caunoi.PermClientWrite), s.consentWithdraw},
		{"POST", "/clients/{id}/memberships", perm(caunoi.PermClientWrite), s.membershipCreate},
		{"POST", "/memberships/{id}/end", perm(caunoi.PermClientWrite), s.membershipEnd},
		{"GET", "/uic", perm(caunoi.PermClientRead), s.uicCheck},

		{"GET", "/field", perm(caunoi.PermContactWrite), s.field},

		{"GET", "/contacts", perm(caunoi.PermClientRead), s.contactList},
		{"GET", "/contacts/new", perm(caunoi.PermContactWrite), s.contactNew},
		{"POST", "/contacts", perm(caunoi.PermContactWrite), s.contactCreate},
		{"GET", "/contacts/export", perm(caunoi.PermClientRead), s.contactExport},
		{"POST", "/contacts/{id}/void", perm(caunoi.PermContactWrite), s.contactVoid},

		{"GET", "/activities", perm(caunoi.PermClientRead), s.activityList},
		{"GET", "/activities/new", perm(caunoi.PermContactWrite), s.activityNew},
		{"POST", "/activities", perm(caunoi.PermContactWrite), s.activityCreate},
		{"GET", "/activities/export", perm(caunoi.PermClientRead), s.activityExport},
		{"GET", "/activities/{id}", perm(caunoi.PermClientRead), s.activityShow},
		{"POST", "/activities/{id}/void", perm(caunoi.PermContactWrite), s.activityVoid},

		{"GET", "/places", perm(caunoi.PermClientRead), s.placeList},
		{"GET", "/places/new", perm(caunoi.PermContactWrite), s.placeNew},
		{"POST", "/places", perm(caunoi.PermContactWrite), s.placeCreate},
		{"GET", "/places/export", perm(caunoi.PermClientRead), s.placeExport},
		{"GET", "/places/{id}", perm(caunoi.PermClientRead), s.placeShow},
		{"GET", "/places/{id}/edit", perm(caunoi.PermContactWrite), s.placeEdit},
		{"POST", "/places/{id}", perm(caunoi.PermContactWrite), s.placeUpdate},
		{"POST", "/places/{id}/void", perm(caunoi.PermContactWrite), s.placeVoid},
		{"POST", "/places/{id}/visits", perm(caunoi.PermContactWrite), s.visitCreate},

		{"GET", "/providers", perm(caunoi.PermProviderRead), s.providerList},
		{"GET", "/providers/new", perm(caunoi.PermProviderWrite), s.providerNew},
		{"POST", "/providers", perm(caunoi.PermProviderWrite), s.providerCreate},
		{"GET", "/providers/export", perm(caunoi.PermProviderRead), s.providerExport},
		{"GET", "/providers/{id}", perm(caunoi.PermProviderRead), s.providerShow},
		{"GET", "/providers/{id}/edit", perm(caunoi.PermProviderWrite), s.providerEdit},
		{"POST", "/providers/{id}", perm(caunoi.PermProviderWrite), s.providerUpdate},
		{"POST", "/providers/{id}/void", perm(caunoi.PermProviderWrite), s.providerVoid},

		{"GET", "/services", perm(caunoi.PermClientRead), s.serviceList},
		{"GET", "/services/new", perm(caunoi.PermServiceWrite), s.serviceNew},
		{"POST", "/services", perm(caunoi.PermServiceWrite), s.serviceCreate},
		{"GET", "/services/export", perm(caunoi.PermClientRead), s.serviceExport},
		{"GET", "/services/{id}", perm(caunoi.PermClientRead), s.serviceShow},
		{"POST", "/services/{id}", perm(caunoi.PermServiceWrite), s.serviceUpdate},
		{"POST", "/services/{id}/void", perm(caunoi.PermServiceWrite), s.serviceVoid},

		{"GET", "/referrals", perm(caunoi.PermClientRead), s.referralList},
		{"GET", "/referrals/new", perm(caunoi.PermServiceWrite), s.referralNew},
		{"POST", "/referrals", perm(caunoi.PermServiceWrite), s.referralCreate},
		{"GET", "/referrals/export", perm(caunoi.PermClientRead), s.referralExport},
		{"GET", "/referrals/{id}", perm(caunoi.PermClientRead), s.referralShow},
		{"GET", "/referrals/{id}/slip", perm(caunoi.PermClientRead), s.referralSlip},
		{"POST", "/referrals/{id}/status", perm(caunoi.PermServiceWrite), s.referralStatus},
		{"POST", "/referrals/{id}/void", perm(caunoi.PermServiceWrite), s.referralVoid},
		// Money: funds, loans, budgets.
		{"GET", "/funds", perm(caunoi.PermFundRead), s.fundList},
		{"GET", "/funds/new", perm(caunoi.PermFundWrite), s.fundNew},
		{"POST", "/funds", perm(caunoi.PermFundWrite), s.fundCreate},
		{"GET", "/funds/{id}", perm(caunoi.PermFundRead), s.fundShow},
		{"GET", "/funds/{id}/statement", perm(caunoi.PermFundRead), s.fundStatement},
		{"GET", "/funds/{id}/arrears", perm(caunoi.PermClientRead), s.fundArrears},
		{"POST", "/funds/{id}/entries", perm(caunoi.PermFundWrite), s.fundEntry},
		{"GET", "/loans", perm(caunoi.PermClientRead), s.loanList},
		{"GET", "/loans/new", perm(caunoi.PermLoanWrite), s.loanNew},
		{"POST", "/loans", perm(caunoi.PermLoanWrite), s.loanCreate},
		{"GET", "/loans/{id}", perm(caunoi.PermClientRead), s.loanShow},
		{"GET", "/loans/{id}/statement", perm(caunoi.PermClientRead), s.loanStatement},
		{"POST", "/loans/{id}/appraisal", perm(caunoi.PermLoanAppraise), s.loanAppraise},
		{"POST", "/loans/{id}/decision", perm(caunoi.PermLoanApprove), s.loanDecide},
		{"POST", "/loans/{id}/disbursement", perm(caunoi.PermLoanDisburse), s.loanDisburse},
		{"POST", "/loans/{id}/repayments", perm(caunoi.PermLoanWrite), s.loanRepay},
		{"POST", "/loans/{id}/write-off", perm(caunoi.PermLoanApprove), s.loanWriteOff},
		{"POST", "/repayments/{id}/reverse", perm(caunoi.PermLoanWrite), s.repaymentReverse},
		{"GET", "/budgets", perm(caunoi.PermBudgetRead), s.budgetList},
		{"GET", "/budgets/new", perm(caunoi.PermBudgetWrite), s.budgetNew},
		{"POST", "/budgets", perm(caunoi.PermBudgetWrite), s.budgetCreate},
		{"GET", "/budgets/norms", perm(caunoi.PermBudgetRead), s.normList},
		{"POST", "/budgets/norms", perm(caunoi.PermNormWrite), s.normCreate},
		{"POST", "/budgets/norms/{id}/void", perm(caunoi.PermNormWrite), s.normVoid},
		{"GET", "/budgets/{id}", perm(caunoi.PermBudgetRead), s.budgetShow},
		{"POST", "/budgets/{id}/lines", perm(caunoi.PermBudgetWrite), s.budgetLine},
		{"POST", "/budgets/{id}/expenditures", perm(caunoi.PermBudgetWrite), s.budgetSpend},
		{"POST", "/budgets/{id}/void", perm(caunoi.PermBudgetWrite), s.budgetVoid},
		{"POST", "/expenditures/{id}/void", perm(caunoi.PermBudgetWrite), s.expenditureVoid},

		// Hotline cases (case.read: the group running the hotline and the
		// province above it), shelters and reintegration.
		{"GET", "/cases", perm(caunoi.PermCaseRead), s.caseList},
		{"GET", "/cases/new", perm(caunoi.PermCaseWrite), s.caseNew},
		{"POST", "/cases", perm(caunoi.PermCaseWrite), s.caseCreate},
		{"GET", "/cases/stats", perm(caunoi.PermReportRead), s.caseStats},
		{"GET", "/cases/{id}", perm(caunoi.PermCaseRead), s.caseShow},
		{"GET", "/cases/{id}/edit", perm(caunoi.PermCaseWrite), s.caseEdit},
		{"POST", "/cases/{id}", perm(caunoi.PermCaseWrite), s.caseUpdate},
		{"POST", "/cases/{id}/follow-ups", perm(caunoi.PermCaseWrite), s.caseFollowUp},
		{"POST", "/cases/{id}/referrals", perm(caunoi.PermCaseWrite), s.caseRefer},
		{"POST", "/cases/{id}/close", perm(caunoi.PermCaseWrite), s.caseClose},
		{"POST", "/cases/{id}/void", perm(caunoi.PermCaseWrite), s.caseVoid},

		{"GET", "/shelters", perm(caunoi.PermProviderRead), s.shelterList},
		{"GET", "/shelters/{id}", perm(caunoi.PermProviderRead), s.shelterShow},
		{"POST", "/shelters/{id}/beds", perm(caunoi.PermShelterWrite), s.shelterAddBed},
		{"POST", "/shelters/{id}/stays", perm(caunoi.PermShelterWrite), s.shelterAdmit},
		{"POST", "/beds/{id}/void", perm(caunoi.PermShelterWrite), s.bedVoid},
		{"POST", "/stays/{id}/discharge", perm(caunoi.PermShelterWrite), s.stayDischarge},
		{"POST", "/stays/{id}/void", perm(caunoi.PermShelterWrite), s.stayVoid},

		{"GET", "/reintegration", perm(caunoi.PermClientRead), s.reintList},
		{"GET", "/reintegration/new", perm(caunoi.PermReintegrationWrite), s.reintNew},
		{"POST", "/reintegration", perm(caunoi.PermReintegrationWrite), s.reintCreate},
		{"GET", "/reintegration/{id}", perm(caunoi.PermClientRead), s.reintShow},
		{"POST", "/reintegration/{id}", perm(caunoi.PermReintegrationWrite), s.reintUpdate},
		{"POST", "/reintegration/{id}/people", perm(caunoi.PermReintegrationWrite), s.reintAddPerson},
		{"POST", "/reintegration/{id}/return", perm(caunoi.PermReintegrationWrite), s.reintReturn},
		{"POST", "/reintegration/{id}/follow-ups", perm(caunoi.PermReintegrationWrite), s.reintEventForm(caunoi.EventFollowUp, "msg.follow_up_saved")},
		{"POST", "/reintegration/{id}/relapses", perm(caunoi.PermReintegrationWrite), s.reintEventForm(caunoi.EventRelapse, "msg.relapse_saved")},
		{"POST", "/reintegration/{id}/void", perm(caunoi.PermReintegrationWrite), s.reintVoid},
		{"POST", "/influence/{id}/void", perm(caunoi.PermReintegrationWrite), s.influenceVoid},

		{"GET", "/import/{kind}", perm(caunoi.PermContactWrite), s.importForm},
		{"GET", "/import/{kind}/template", perm(caunoi.PermContactWrite), s.importTemplate},
		{"POST", "/import/{kind}", perm(caunoi.PermContactWrite), s.importUpload},

		// JSON API.
		{"GET", "/api/v1/openapi.json", public, a.OpenAPI},
		{"GET", "/api/v1/me", signedIn, a.Me},
		{"GET", "/api/v1/orgs", perm(caunoi.PermOrgRead), a.ListOrgs},
		{"POST", "/api/v1/orgs", perm(caunoi.PermOrgWrite), a.CreateOrg},
		{"GET", "/api/v1/orgs/{id}", perm(caunoi.PermOrgRead), a.GetOrg},
		{"PATCH", "/api/v1/orgs/{id}", perm(caunoi.PermOrgWrite), a.UpdateOrg},
		{"POST", "/api/v1/orgs/{id}/void", perm(caunoi.PermOrgWrite), a.VoidOrg},
		{"GET", "/api/v1/admin-units", perm(caunoi.PermUnitRead), a.ListAdminUnits},
		{"GET", "/api/v1/admin-units/{code}", perm(caunoi.PermUnitRead), a.GetAdminUnit},
		{"GET", "/api/v1/users", perm(caunoi.PermUserRead), a.ListUsers},
		{"POST", "/api/v1/users", perm(caunoi.PermUserWrite), a.CreateUser},
		{"GET", "/api/v1/users/{id}", perm(caunoi.PermUserRead), a.GetUser},
		{"PATCH", "/api/v1/users/{id}", perm(caunoi.PermUserWrite), a.UpdateUser},
		{"POST", "/api/v1/users/{id}/grants", perm(caunoi.PermUserWrite), a.AddGrant},
		{"POST", "/api/v1/users/{id}/grants/remove", perm(caunoi.PermUserWrite), a.RemoveGrant},
		{"GET", "/api/v1/audit", perm(caunoi.PermAuditRead), a.ListAudit},
		{"GET", "/api/v1/clients", perm(caunoi.PermClientRead), a.ListClients},
		{"POST", "/api/v1/clients", perm(caunoi.PermClientWrite), a.CreateClient},
		{"GET", "/api/v1/clients/{id}", perm(caunoi.PermClientRead), a.GetClient},
		{"PATCH", "/api/v1/clients/{id}", perm(caunoi.PermClientWrite), a.UpdateClient},
		{"POST", "/api/v1/clients/{id}/void", perm(caunoi.PermClientWrite), a.VoidClient},
		{"GET", "/api/v1/clients/lookup", perm(caunoi.PermClientRead), a.LookupClients},
		{"GET", "/api/v1/uic-matches", perm(caunoi.PermClientRead), a.MatchUIC},
		{"POST", "/api/v1/uic", perm(caunoi.PermClientRead), a.MakeUIC},
		{"POST", "/api/v1/clients/{id}/status", perm(caunoi.PermClientWrite), a.ChangeClientStatus},
		{"POST", "/api/v1/clients/{id}/consents", perm(caunoi.PermClientWrite), a.RecordConsent},
		{"POST", "/api/v1/consents/{id}/withdraw", perm(caunoi.PermClientWrite), a.WithdrawConsent},
		{"POST", "/api/v1/clients/{id}/memberships", perm(caunoi.PermClientWrite), a.AddMembership},
		{"POST", "/api/v1/memberships/{id}/end", perm(caunoi.PermClientWrite), a.EndMembership},
		{"GET", "/api/v1/contacts", perm(caunoi.PermClientRead), a.ListContacts},
		{"POST", "/api/v1/contacts", perm(caunoi.PermContactWrite), a.CreateContact},
		{"POST", "/api/v1/contacts/{id}/void", perm(caunoi.PermContactWrite), a.VoidContact},
		{"GET", "/api/v1/places", perm(caunoi.PermClientRead), a.ListPlaces},
		{"POST", "/api/v1/places", perm(caunoi.PermContactWrite), a.CreatePlace},
		{"GET", "/api/v1/places/{id}", perm(caunoi.PermClientRead), a.GetPlace},
		{"PATCH", "/api/v1/places/{id}", perm(caunoi.PermContactWrite), a.UpdatePlace},
		{"POST", "/api/v1/places/{id}/void", perm(caunoi.PermContactWrite), a.VoidPlace},
		{"GET", "/api/v1/visits", perm(caunoi.PermClientRead), a.ListVisits},
		{"POST", "/api/v1/visits", perm(caunoi.PermContactWrite), a.RecordVisit},
		{"GET", "/api/v1/activities", perm(caunoi.PermClientRead), a.ListActivities},
		{"POST", "/api/v1/activities", perm(caunoi.PermContactWrite), a.CreateActivity},
		{"GET", "/api/v1/activities/{id}", perm(caunoi.PermClientRead), a.GetActivity},
		{"POST", "/api/v1/activities/{id}/void", perm(caunoi.PermContactWrite), a.VoidActivity},
		{"GET", "/api/v1/providers", perm(caunoi.PermProviderRead), a.ListProviders},
		{"POST", "/api/v1/providers", perm(caunoi.PermProviderWrite), a.CreateProvider},
		{"GET", "/api/v1/providers/{id}", perm(caunoi.PermProviderRead), a.GetProvider},
		{"PATCH", "/api/v1/providers/{id}", perm(caunoi.PermProviderWrite), a.UpdateProvider},
		{"POST", "/api/v1/providers/{id}/void", perm(caunoi.PermProviderWrite), a.VoidProvider},
		{"GET", "/api/v1/services", perm(caunoi.PermClientRead), a.ListServices},
		{"POST", "/api/v1/services", perm(caunoi.PermServiceWrite), a.CreateService},
		{"GET", "/api/v1/services/{id}", perm(caunoi.PermClientRead), a.GetService},
		{"PATCH", "/api/v1/services/{id}", perm(caunoi.PermServiceWrite), a.UpdateService},
		{"POST", "/api/v1/services/{id}/void", perm(caunoi.PermServiceWrite), a.VoidService},
		{"GET", "/api/v1/referrals", perm(caunoi.PermClientRead), a.ListReferrals},
		{"POST", "/api/v1/referrals", perm(caunoi.PermServiceWrite), a.CreateReferral},
		{"GET", "/api/v1/referrals/{id}", perm(caunoi.PermClientRead), a.GetReferral},
		{"GET", "/api/v1/referrals/{id}/slip", perm(caunoi.PermClientRead), a.GetReferralSlip},
		{"POST", "/api/v1/referrals/{id}/status", perm(caunoi.PermServiceWrite), a.TransitionReferral},
		{"POST", "/api/v1/referrals/{id}/void", perm(caunoi.PermServiceWrite), a.VoidReferral},
		{"GET", "/api/v1/funds", perm(caunoi.PermFundRead), a.ListFunds},
		{"POST", "/api/v1/funds", perm(caunoi.PermFundWrite), a.CreateFund},
		{"GET", "/api/v1/funds/{id}", perm(caunoi.PermFundRead), a.GetFund},
		{"GET", "/api/v1/funds/{id}/entries", perm(caunoi.PermFundRead), a.ListEntries},
		{"POST", "/api/v1/funds/{id}/entries", perm(caunoi.PermFundWrite), a.RecordEntry},
		{"GET", "/api/v1/funds/{id}/statement", perm(caunoi.PermFundRead), a.GetStatement},
		{"GET", "/api/v1/funds/{id}/arrears", perm(caunoi.PermClientRead), a.ListArrears},
		{"GET", "/api/v1/loans", perm(caunoi.PermClientRead), a.ListLoans},
		{"POST", "/api/v1/loans", perm(caunoi.PermLoanWrite), a.ApplyLoan},
		{"GET", "/api/v1/loans/{id}", perm(caunoi.PermClientRead), a.GetLoan},
		{"POST", "/api/v1/loans/{id}/appraisal", perm(caunoi.PermLoanAppraise), a.AppraiseLoan},
		{"POST", "/api/v1/loans/{id}/decision", perm(caunoi.PermLoanApprove), a.DecideLoan},
		{"POST", "/api/v1/loans/{id}/disbursement", perm(caunoi.PermLoanDisburse), a.DisburseLoan},
		{"POST", "/api/v1/loans/{id}/repayments", perm(caunoi.PermLoanWrite), a.RepayLoan},
		{"POST", "/api/v1/loans/{id}/write-off", perm(caunoi.PermLoanApprove), a.WriteOffLoan},
		{"POST", "/api/v1/repayments/{id}/reverse", perm(caunoi.PermLoanWrite), a.ReverseRepayment},
		{"GET", "/api/v1/cost-norms", perm(caunoi.PermBudgetRead), a.ListNorms},
		{"POST", "/api/v1/cost-norms", perm(caunoi.PermNormWrite), a.CreateNorm},
		{"POST", "/api/v1/cost-norms/{id}/void", perm(caunoi.PermNormWrite), a.VoidNorm},
		{"GET", "/api/v1/budget-plans", perm(caunoi.PermBudgetRead), a.ListPlans},
		{"POST", "/api/v1/budget-plans", perm(caunoi.PermBudgetWrite), a.CreatePlan},
		{"GET", "/api/v1/budget-plans/{id}", perm(caunoi.PermBudgetRead), a.GetPlan},
		{"POST", "/api/v1/budget-plans/{id}/lines", perm(caunoi.PermBudgetWrite), a.AddPlanLine},
		{"POST", "/api/v1/budget-plans/{id}/expenditures", perm(caunoi.PermBudgetWrite), a.RecordExpenditure},
		{"POST", "/api/v1/budget-plans/{id}/void", perm(caunoi.PermBudgetWrite), a.VoidPlan},
		{"POST", "/api/v1/expenditures/{id}/void", perm(caunoi.PermBudgetWrite), a.VoidExpenditure},
		{"GET", "/api/v1/cases", perm(caunoi.PermCaseRead), a.ListCases},
		{"POST", "/api/v1/cases", perm(caunoi.PermCaseWrite), a.CreateCase},
		{"GET", "/api/v1/cases/duty", perm(caunoi.PermCaseRead), a.DutyView},
		{"GET", "/api/v1/cases/{id}", perm(caunoi.PermCaseRead), a.GetCase},
		{"PATCH", "/api/v1/cases/{id}", perm(caunoi.PermCaseWrite), a.UpdateCase},
		{"POST", "/api/v1/cases/{id}/follow-ups", perm(caunoi.PermCaseWrite), a.RecordFollowUp},
		{"POST", "/api/v1/cases/{id}/referrals", perm(caunoi.PermCaseWrite), a.ReferCase},
		{"POST", "/api/v1/cases/{id}/close", perm(caunoi.PermCaseWrite), a.CloseCase},
		{"POST", "/api/v1/cases/{id}/void", perm(caunoi.PermCaseWrite), a.VoidCase},
		{"GET", "/api/v1/incident-stats", perm(caunoi.PermReportRead), a.IncidentStats},
		{"GET", "/api/v1/shelters", perm(caunoi.PermProviderRead), a.ListShelters},
		{"GET", "/api/v1/shelters/{id}", perm(caunoi.PermProviderRead), a.GetShelter},
		{"GET", "/api/v1/shelters/{id}/occupancy", perm(caunoi.PermProviderRead), a.GetOccupancy},
		{"POST", "/api/v1/shelters/{id}/beds", perm(caunoi.PermShelterWrite), a.AddBed},
		{"POST", "/api/v1/beds/{id}/void", perm(caunoi.PermShelterWrite), a.VoidBed},
		{"GET", "/api/v1/stays", perm(caunoi.PermCaseRead), a.ListStays},
		{"POST", "/api/v1/stays", perm(caunoi.PermShelterWrite), a.Admit},
		{"POST", "/api/v1/stays/{id}/discharge", perm(caunoi.PermShelterWrite), a.Discharge},
		{"POST", "/api/v1/stays/{id}/void", perm(caunoi.PermShelterWrite), a.VoidStay},
		{"GET", "/api/v1/reintegrations", perm(caunoi.PermClientRead), a.ListReintegrations},
		{"POST", "/api/v1/reintegrations", perm(caunoi.PermReintegrationWrite), a.CreateReintegration},
		{"GET", "/api/v1/reintegrations/{id}", perm(caunoi.PermClientRead), a.GetReintegration},
		{"PATCH", "/api/v1/reintegrations/{id}", perm(caunoi.PermReintegrationWrite), a.UpdateReintegration},
		{"POST", "/api/v1/reintegrations/{id}/people", perm(caunoi.PermReintegrationWrite), a.AddInfluencePerson},
		{"POST", "/api/v1/reintegrations/{id}/return", perm(caunoi.PermReintegrationWrite), a.RecordReturn},
		{"POST", "/api/v1/reintegrations/{id}/follow-ups", perm(caunoi.PermReintegrationWrite), a.RecordReintegrationFollowUp},
		{"POST", "/api/v1/reintegrations/{id}/relapses", perm(caunoi.PermReintegrationWrite), a.RecordRelapse},
		{"POST", "/api/v1/reintegrations/{id}/void", perm(caunoi.PermReintegrationWrite), a.VoidReintegration},
		{"POST", "/api/v1/influence/{id}/void", perm(caunoi.PermReintegrationWrite), a.VoidInfluencePerson},
		{"GET", "/api/v1/reintegration-stats", perm(caunoi.PermReportRead), a.ReintegrationStats},
		{"GET", "/api/v1/tokens", perm(caunoi.PermTokenOwn), a.ListTokens},
		{"POST", "/api/v1/tokens", perm(caunoi.PermTokenOwn), a.CreateToken},
		{"POST", "/api/v1/tokens/{id}/revoke", perm(caunoi.PermTokenOwn), a.RevokeToken},
		{"POST", "/api/v1/sync", perm(caunoi.PermContactWrite), a.Sync},
		{"GET", "/api/v1/sync/clients", perm(caunoi.PermClientRead), a.FieldClients},
	}
}
