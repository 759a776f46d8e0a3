module example.com/iggy-consumer

go 1.25

require github.com/iggy-consensus/libiggy_consensus/go v0.0.0

// No module proxy is reachable where this repository is tested, so the package comes
// from the repository itself. A program elsewhere drops this line and runs
// `go get github.com/iggy-consensus/libiggy_consensus/go@<version>` (go/README.md).
replace github.com/iggy-consensus/libiggy_consensus/go => ../..
