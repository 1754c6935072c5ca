"""`python3 -m trustgap_kernel -f CONNECTION_FILE` starts the kernel (Jupyter does this from the kernelspec);
`python3 -m trustgap_kernel install [--user | --prefix DIR]` installs the kernelspec."""

import sys


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "install":
        from .install import main as install
        install(sys.argv[2:])
        return
    from ipykernel.kernelapp import IPKernelApp
    from .kernel import TrustgapKernel
    IPKernelApp.launch_instance(kernel_class=TrustgapKernel)


if __name__ == "__main__":
    main()
