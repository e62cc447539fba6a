# Quick start: `make train` (five-game run, default preset) and `make test`.
# Both install missing Debian packages first (libtorch-dev, libopenblas0-pthread, cmake, g++).
.PHONY: deps build test train clean

ARGS ?=

deps:
	@scripts/deps.sh

build: deps
	dotnet build MtlAgent.sln -c Release -nologo -v q

test: deps
	@scripts/test.sh

train: build
	dotnet src/MtlAgent.Cli/bin/Release/net10.0/mtl.dll train $(ARGS)

clean:
	dotnet clean MtlAgent.sln -nologo -v q
	rm -rf src/MtlAgent.Torch/obj/native
