module code.quarry.example/quarry

go 1.22
