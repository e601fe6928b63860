package awsidctest
import ("testing";"time")
func TestRefTime(t *testing.T){ st:=time.Now(); o:=NewOrg(); if err:=SeedReference(o, ReferenceOrg); err!=nil {t.Fatal(err)}; t.Log(time.Since(st)) }
