module github.com/iggy-consensus/libiggy_consensus/go

go 1.25
