# Two commands do everything on a fresh Debian/Ubuntu machine:
#   make run    set up, then process samples/ into outputs/
#   make test   set up, then run the test suite
SHELL := /bin/bash
PY    := .venv/bin/python
PIP   := .venv/bin/pip
SUDO  := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng poppler-utils fonts-thai-tlwg libfribidi0 libraqm0
FONT_WHEELS  := odoo-addon-l10n-th-fonts odoo-addon-l10n-th-base-utils fontpkg-sarabun
INPUT ?= samples
OUT   ?= outputs
export OMP_THREAD_LIMIT := 1

.PHONY: setup system-deps run test eval bench models bench-corpus samples clean

setup: system-deps .venv/.installed

# apt only where something is missing, so a second `make` does not touch apt.
system-deps:
	@missing=""; \
	command -v tesseract >/dev/null || missing="$$missing tesseract-ocr"; \
	{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx tha; } || missing="$$missing tesseract-ocr-tha"; \
	{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx eng; } || missing="$$missing tesseract-ocr-eng"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	[ -e /usr/share/fonts/truetype/tlwg/Garuda.ttf ] || missing="$$missing fonts-thai-tlwg"; \
	ldconfig -p | grep -q libfribidi || missing="$$missing libfribidi0"; \
	ldconfig -p | grep -q libraqm || missing="$$missing libraqm0"; \
	command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

.venv/.installed: pyproject.toml
	[ -x $(PY) ] || python3 -m venv .venv
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test]'
	$(PIP) install -q --no-deps $(FONT_WHEELS)
	$(PY) -c "from PIL import features; assert features.check('raqm'), 'Pillow cannot lay out Thai: install libfribidi0'"
	touch $@

run: setup
	$(PY) -m pipeline run $(INPUT) --out $(OUT)

test: setup
	$(PY) -m pytest -q

eval: setup
	$(PY) -m pipeline.evaluation

bench: setup
	$(PY) -m pipeline.bench

models: setup
	$(PIP) install -q -e '.[train]'
	$(PY) -m models.train
	$(PY) -m models.train --hand
	$(PY) -m models.months

# The seeds are rendered into the (uncommitted) benchmark set only, never into samples/.
bench-corpus: setup
	$(PY) -m pipeline.synth --out bench-corpus --letters 200 --workers 2 \
	  $$( [ -d ../shared/seeds ] && echo --from-seeds ../shared/seeds )

samples: setup
	$(PY) -m pipeline.synth --out samples --letters 12 --small

clean:
	rm -rf $(OUT) .pytest_cache
