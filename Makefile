# Optional shortcuts for the README's two commands (plain `dotnet` works everywhere).
.PHONY: build test train clean

ARGS ?=

build:
	dotnet build -c Release -nologo -v q

test:
	@.ci/run

train:
	dotnet run --project src/MtlAgent.Cli -c Release -- train $(ARGS)

clean:
	dotnet clean -c Release -nologo -v q
