package caunoi

import "context"

// ImportRow is one record read from row Row of an imported file. Key is
// the row's stable key (internal/xlsx.RowKey): importing the same row
// again stores nothing new.
type ImportRow[T any] struct {
	Row    int
	Key    string
	Record T
}

// ImportService stores the registers groups keep in Excel: clients,
// contacts and activities. Each import checks every row against storage
// (scope, references) and stores the good rows in one transaction, and
// only when opts.DryRun is false and either no row is bad or
// opts.KeepGood is set. Rows already imported are counted as skipped.
type ImportService interface {
	ImportClients(ctx context.Context, rows []ImportRow[*Client], opts ImportOptions) (*ImportResult, error)
	ImportContacts(ctx context.Context, rows []ImportRow[*Contact], opts ImportOptions) (*ImportResult, error)
	ImportActivities(ctx context.Context, rows []ImportRow[*Activity], opts ImportOptions) (*ImportResult, error)
}
