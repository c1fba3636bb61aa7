from hsmobility.cli import main

raise SystemExit(main())
