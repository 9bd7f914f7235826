module tally.example/tally

go 1.22

require github.com/go-mail/mail/v2 v2.3.0
